-- klp-lsp for Neovim 0.7+ with the built-in LSP client (no plugin, no lspconfig).
-- Install: copy to ~/.config/nvim/plugin/klp-lsp.lua (Neovim sources it at start), or
-- `:luafile path/to/klp-lsp.lua`. Needs `filetype on` (the default with a user config).
--
-- Every C buffer inside a prepared kernel tree (a directory with MAINTAINERS, Kbuild and
-- Makefile) is attached to one klp-lsp per tree. Then:
--   diagnostics        :lua vim.diagnostic.open_float()   (also <space>e; ]d and [d move)
--                      :lua vim.diagnostic.setqflist()    (all of them in the quickfix list)
--   quick fixes        :lua vim.lsp.buf.code_action()     (also <space>ca below)
--   hover (layouts)    :lua vim.lsp.buf.hover()           (also K below)
--   :KlpCheckPatch     workspace/executeCommand klp.checkPatch: verdict echoed, findings in the
--                      quickfix list
--   :KlpBuildModule [/abs/out.ko]   klp.buildModule: the livepatch module of the unsaved and
--                      saved changes (default ~/.cache/klp-lsp/modules/NAME.ko)
-- Settings: edit `M.settings` below (sent as initializationOptions; keys as in the README:
-- baseline, kernelTree, debounceMs, severity, pushDiagnostics), or at run time
-- `:lua require('klp-lsp').configure({ severity = { ['header-fanout'] = 'off' } })`.
local M = {}

-- The server: $KLP_LSP when set, else `klp-lsp` from PATH.
M.cmd = { os.getenv('KLP_LSP') or 'klp-lsp' }
-- initializationOptions. {} = baseline git:HEAD in a git tree, else the files as saved on disk.
M.settings = {}

local clients = {} -- kernel root -> client id

-- The kernel tree a file belongs to: the nearest directory upwards with MAINTAINERS, Kbuild
-- and Makefile (only the top of a kernel tree has all three), or nil.
function M.kernel_root(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    local function has(name)
      return vim.fn.filereadable(dir .. '/' .. name) == 1
    end
    if has('MAINTAINERS') and has('Kbuild') and has('Makefile') then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function on_attach(_, bufnr)
  local function map(lhs, rhs)
    vim.keymap.set('n', lhs, rhs, { buffer = bufnr, silent = true })
  end
  map('<space>ca', vim.lsp.buf.code_action)
  map('K', vim.lsp.buf.hover)
  map(']d', vim.diagnostic.goto_next)
  map('[d', vim.diagnostic.goto_prev)
  map('<space>e', vim.diagnostic.open_float)
end

-- Starts (once per tree) and attaches klp-lsp to bufnr when it is a file of a kernel tree.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root = name ~= '' and M.kernel_root(name)
  if not root then
    return nil
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client({
      name = 'klp-lsp',
      cmd = M.cmd,
      root_dir = root,
      init_options = vim.tbl_isempty(M.settings) and vim.empty_dict() or M.settings,
      on_attach = on_attach,
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- The klp-lsp client of bufnr (or of the current buffer), or nil; also while it initializes.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  for _, id in pairs(clients) do
    if vim.lsp.buf_is_attached(bufnr, id) then
      return vim.lsp.get_client_by_id(id)
    end
  end
  return nil
end

-- Changes settings of the running servers (workspace/didChangeConfiguration) and of new ones.
function M.configure(settings)
  M.settings = vim.tbl_deep_extend('force', M.settings, settings)
  for _, id in pairs(clients) do
    local c = vim.lsp.get_client_by_id(id)
    if c then
      c.notify('workspace/didChangeConfiguration', { settings = { ['klp-lsp'] = M.settings } })
    end
  end
end

local function execute(command, arguments, on_result)
  local c = M.client()
  if not c then
    vim.notify('klp-lsp: this buffer is not attached to klp-lsp', vim.log.levels.ERROR)
    return
  end
  c.request('workspace/executeCommand', { command = command, arguments = arguments },
    function(err, result)
      if err then
        vim.notify('klp-lsp: ' .. command .. ': ' .. err.message, vim.log.levels.ERROR)
      end
      if on_result then
        on_result(err, result, c)
      end
    end, vim.api.nvim_get_current_buf())
end

-- klp.checkPatch: the CLI's JSON report of all changes. Echoes the verdict, puts the findings
-- in the quickfix list and calls on_result(err, report) when given.
function M.check_patch(on_result)
  execute('klp.checkPatch', nil, function(err, report, c)
    if report then
      local items = {}
      local types = { error = 'E', warning = 'W', info = 'I' }
      for _, f in ipairs(report.findings or {}) do
        items[#items + 1] = {
          filename = c.config.root_dir .. '/' .. f.file,
          lnum = f.range.start.line + 1,
          col = f.range.start.character + 1,
          type = types[f.severity],
          text = '[' .. f.rule .. '] ' .. f.message,
        }
      end
      vim.fn.setqflist({}, ' ', { title = 'klp-lsp: verdict ' .. report.verdict, items = items })
      vim.notify(string.format('klp-lsp: verdict %s, %d finding(s), %d function(s) (:copen)',
        report.verdict, #items, #(report.functions or {})))
    end
    if on_result then
      on_result(err, report)
    end
  end)
end

-- klp.buildModule: builds the livepatch module (minutes); output is an absolute .ko path
-- outside the tree, or nil for the server's default.
function M.build_module(output, on_result)
  vim.notify('klp-lsp: building the livepatch module...')
  execute('klp.buildModule', output and { { output = output } } or nil, function(err, result)
    if result then
      vim.notify('klp-lsp: module built: ' .. result.ko)
    end
    if on_result then
      on_result(err, result)
    end
  end)
end

local group = vim.api.nvim_create_augroup('klp-lsp', { clear = true })
vim.api.nvim_create_autocmd('FileType', {
  group = group,
  pattern = 'c',
  callback = function(args)
    M.attach(args.buf)
  end,
})
vim.api.nvim_create_user_command('KlpCheckPatch', function()
  M.check_patch()
end, { desc = 'klp-lsp: check the patch (all changes against the baseline)' })
vim.api.nvim_create_user_command('KlpBuildModule', function(opts)
  M.build_module(opts.args ~= '' and vim.fn.fnamemodify(opts.args, ':p') or nil)
end, { nargs = '?', complete = 'file', desc = 'klp-lsp: build the livepatch module' })

-- `require('klp-lsp')` is this table from now on.
package.loaded['klp-lsp'] = M
return M
