-- Assertions shared by the Neovim client tests: a failure is a table {msg = ...} raised with
-- error(), which the test's runner prints before :cquit.
local M = {}

function M.fail(msg)
  error({ msg = msg }, 0)
end

function M.check(cond, msg)
  if not cond then
    M.fail(msg)
  end
end

function M.eq(got, want, what)
  if not vim.deep_equal(got, want) then
    M.fail(what .. ': expected ' .. vim.inspect(want) .. ', got ' .. vim.inspect(got))
  end
end

return M
