-- The documented Neovim set-up (docs/editors/klp-lsp.lua, loaded as it is) against the real
-- server: filetype detection opens kernel/acct.c of the pinned tree as a C buffer, the config's
-- FileType autocmd starts klp-lsp for the tree and attaches it; a member added to
-- struct bsd_acct_struct must show as struct-layout-change in vim.diagnostic, and :KlpCheckPatch
-- (klp.checkPatch through the config) must answer verdict "unsafe" and fill the quickfix list.
-- The buffer is never written.
--   nvim --headless -u NONE -i NONE -n --cmd 'set noswapfile' --cmd 'filetype on' \
--     -c 'luafile documented_config.lua'
--   env KLP_KERNEL_TREE  the prepared tree (required)
--   env KLP_LSP          the server binary (the config reads it; default build/server/klp-lsp)
-- Exits 0 on success; on failure prints why to stderr and exits 1 (:cquit).
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local repo = vim.fn.fnamemodify(here, ':h:h:h')
local CONFIG = repo .. '/docs/editors/klp-lsp.lua'

local WAIT_MS = 60000
local QUIET_MS = 5000
local FIELD = '\tunsigned long\t\tdropped;'

local assert_ = dofile(here .. '/assert.lua')
local fail, check, eq = assert_.fail, assert_.check, assert_.eq

local function layoutDiagnostics(buf)
  return vim.tbl_filter(function(d)
    return d.code == 'struct-layout-change'
  end, vim.diagnostic.get(buf))
end

local function main()
  local tree = os.getenv('KLP_KERNEL_TREE')
  check(tree and tree ~= '', 'KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)')
  tree = vim.fn.fnamemodify(tree, ':p'):gsub('/$', '')
  local server = os.getenv('KLP_LSP')
  if not server or server == '' then
    server = repo .. '/build/server/klp-lsp'
    vim.env.KLP_LSP = server -- what the config starts
  end
  check(vim.fn.executable(server) == 1, 'no server binary at ' .. server .. ' (set KLP_LSP)')
  local file = tree .. '/kernel/acct.c'
  local mtimeBefore = vim.fn.getftime(file)
  local diskLines = vim.fn.readfile(file)
  eq(diskLines[102], 'struct bsd_acct_struct {', 'line 101 (0-based) of kernel/acct.c')
  eq(diskLines[115], '};', 'line 114 (0-based) of kernel/acct.c')

  local klp = dofile(CONFIG)
  eq(klp.cmd, { server }, 'server command of the config (from KLP_LSP)')
  eq(klp.kernel_root(file), tree, 'kernel root the config finds for kernel/acct.c')
  eq(klp.kernel_root(repo .. '/README.md'), nil, 'kernel root of a file outside a kernel tree')

  -- As a user would: :edit, filetype detection, the config's FileType autocmd.
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  eq(vim.bo[buf].filetype, 'c', 'filetype of kernel/acct.c')
  local client = klp.client(buf)
  check(client, 'the config did not attach klp-lsp to the buffer')
  eq(client.config.root_dir, tree, 'root_dir')
  vim.wait(WAIT_MS, function()
    return client.initialized or client.is_stopped()
  end, 50)
  check(client.initialized, 'klp-lsp did not finish initialize (see :LspLog)')
  eq(client.server_capabilities.executeCommandProvider,
    { commands = { 'klp.checkPatch', 'klp.buildModule', 'klp.targetStatus' } }, 'executeCommandProvider')

  -- The file as on disk: nothing to report.
  vim.wait(QUIET_MS, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  eq(vim.diagnostic.get(buf), {}, 'diagnostics of the unchanged file')

  vim.api.nvim_buf_set_lines(buf, 114, 114, true, { FIELD })
  local layout = {}
  vim.wait(WAIT_MS, function()
    layout = layoutDiagnostics(buf)
    return #layout > 0 or client.is_stopped()
  end, 50)
  check(#layout > 0, 'no struct-layout-change within ' .. WAIT_MS .. ' ms; diagnostics: '
    .. vim.inspect(vim.diagnostic.get(buf)))
  eq(#layout, 1, 'number of struct-layout-change diagnostics')
  local d = layout[1]
  eq({ d.lnum, d.col, d.end_lnum, d.end_col }, { 114, 16, 114, 23 }, 'range (0-based)')
  eq(d.severity, vim.diagnostic.severity.ERROR, 'severity')
  eq(d.source, 'klp-lsp', 'source')

  -- :KlpCheckPatch, then the report through the config's callback.
  vim.cmd('KlpCheckPatch')
  local report, reportErr, done
  klp.check_patch(function(err, result)
    reportErr, report, done = err, result, true
  end)
  vim.wait(WAIT_MS, function()
    return done
  end, 50)
  check(done, 'klp.checkPatch did not answer within ' .. WAIT_MS .. ' ms')
  check(not reportErr, 'klp.checkPatch failed: ' .. vim.inspect(reportErr))
  eq(report.verdict, 'unsafe', 'verdict of klp.checkPatch')
  eq(report.changedFiles, { 'kernel/acct.c' }, 'changedFiles of klp.checkPatch')
  local found = vim.tbl_filter(function(f)
    return f.rule == 'struct-layout-change'
  end, report.findings)
  eq(#found, 1, 'struct-layout-change findings in the report')
  eq({ found[1].file, found[1].severity, found[1].range }, {
    'kernel/acct.c',
    'error',
    { start = { line = 114, character = 16 }, ['end'] = { line = 114, character = 23 } },
  }, 'the finding in the report')
  local qf = vim.fn.getqflist({ title = 1, items = 1 })
  eq(qf.title, 'klp-lsp: verdict unsafe', 'quickfix title')
  local qfLayout = vim.tbl_filter(function(item)
    return item.text:find('[struct-layout-change]', 1, true) == 1
  end, qf.items)
  eq(#qfLayout, 1, 'struct-layout-change in the quickfix list')
  eq({ vim.api.nvim_buf_get_name(qfLayout[1].bufnr), qfLayout[1].lnum, qfLayout[1].col,
    qfLayout[1].type }, { file, 115, 17, 'E' }, 'quickfix entry')

  -- Quit without saving: the client stops the server (shutdown, exit).
  vim.lsp.stop_client(client.id)
  vim.wait(WAIT_MS, function()
    return client.is_stopped()
  end, 50)
  check(client.is_stopped(), 'klp-lsp did not stop')
  check(vim.bo[buf].modified, 'the buffer should still hold the unsaved edit')
  eq(vim.fn.getftime(file), mtimeBefore, 'mtime of kernel/acct.c (it must never be written)')
end

local ok, err = xpcall(main, function(e)
  return type(e) == 'table' and e.msg or debug.traceback(tostring(e), 2)
end)
if ok then
  io.stdout:write('\nnvim documented config: klp-lsp diagnostics and klp.checkPatch passed\n')
  vim.cmd('qa!')
else
  io.stderr:write('nvim documented config: FAILED: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
