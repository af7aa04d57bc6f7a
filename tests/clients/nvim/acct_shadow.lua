-- End-to-end: klp-lsp driven by Neovim's built-in LSP client (0.7). Opens kernel/acct.c of the
-- pinned tree in a buffer that is never written (no git there, so the baseline is the file on
-- disk and the patched side is the buffer), adds a member to struct bsd_acct_struct with
-- nvim_buf_set_lines, expects struct-layout-change on it, applies the "shadow variable" quick
-- fix with vim.lsp.util.apply_workspace_edit and expects the finding to go away.
--   nvim --headless -u NONE -i NONE -n --cmd 'set noswapfile' -c 'luafile acct_shadow.lua'
--   env KLP_KERNEL_TREE  the prepared tree (required)
--   env KLP_LSP          the server binary (default: <repo>/build/server/klp-lsp)
-- Exits 0 on success; on failure prints why to stderr and exits 1 (:cquit).
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local repo = vim.fn.fnamemodify(here, ':h:h:h')
local fixRegion = dofile(here .. '/fix_region.lua')

local WAIT_MS = 60000
local QUIET_MS = 5000 -- how long an unchanged file gets to (wrongly) report something
local EXPECTED_FIX = repo .. '/tests/data/clients/acct-shadow-fix.expected'
local FIELD = '\tunsigned long\t\tdropped;'
local FIX_TITLE = "Move 'dropped' into a shadow variable"

local published = {} -- {seq, uri, version, diagnostics}, in arrival order (seq is 0-based)
local messages = {} -- window/logMessage and window/showMessage texts
local exitInfo -- {code, signal} once the server is gone
local stderrFile = vim.fn.tempname()

-- What to print when something failed: the server's last words.
local function context()
  local lines = {}
  local status = exitInfo and ('exit code ' .. exitInfo.code .. ', signal ' .. exitInfo.signal)
    or 'running'
  lines[#lines + 1] = '--- server: ' .. status
  lines[#lines + 1] = '--- server log messages (last 20):'
  for i = math.max(1, #messages - 19), #messages do
    lines[#lines + 1] = messages[i]
  end
  lines[#lines + 1] = '--- server stderr (tail):'
  local ok, err = pcall(vim.fn.readfile, stderrFile, '', -60)
  if ok then
    vim.list_extend(lines, err)
  end
  return table.concat(lines, '\n')
end

local assert_ = dofile(here .. '/assert.lua')
local fail, check, eq = assert_.fail, assert_.check, assert_.eq

-- Lines of `struct bsd_acct_struct { ... };` found by content, 0-based.
local function structLines(lines)
  local open, close
  for i, line in ipairs(lines) do
    if not open and line == 'struct bsd_acct_struct {' then
      open = i - 1
    elseif open and line == '};' then
      close = i - 1
      break
    end
  end
  check(open, 'no "struct bsd_acct_struct {" line')
  check(close, 'struct bsd_acct_struct has no closing "};" line')
  return open, close
end

-- The first publishDiagnostics for uri with seq >= after that accept() takes; fails after
-- WAIT_MS or when the server exits first.
local function waitForDiagnostics(uri, what, after, accept)
  local found
  vim.wait(WAIT_MS, function()
    for i = after + 1, #published do
      local p = published[i]
      if p.uri == uri and accept(p) then
        found = p
        return true
      end
    end
    return exitInfo ~= nil
  end, 50)
  if not found then
    local last
    for _, p in ipairs(published) do
      if p.uri == uri then
        last = p
      end
    end
    fail(
      (exitInfo and 'server exited' or ('timed out after ' .. WAIT_MS .. ' ms'))
        .. ' waiting for '
        .. what
        .. '\n--- last diagnostics published for '
        .. uri
        .. ':\n'
        .. vim.inspect(last)
        .. '\n'
        .. context()
    )
  end
  return found
end

local function layoutDiagnostics(p)
  return vim.tbl_filter(function(d)
    return d.code == 'struct-layout-change'
  end, p.diagnostics)
end

local function main()
  local tree = os.getenv('KLP_KERNEL_TREE')
  check(tree and tree ~= '', 'KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)')
  local server = os.getenv('KLP_LSP')
  if not server or server == '' then
    server = repo .. '/build/server/klp-lsp'
  end
  check(vim.fn.executable(server) == 1, 'no server binary at ' .. server .. ' (set KLP_LSP)')
  local file = tree .. '/kernel/acct.c'
  local mtimeBefore = vim.fn.getftime(file)
  local diskLines = vim.fn.readfile(file)
  local open, close = structLines(diskLines)
  eq(open, 101, 'line of "struct bsd_acct_struct {" (0-based)')
  eq(close, 114, 'line of its closing "};" (0-based)')

  -- The document: a buffer that is never written.
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].swapfile = false
  vim.bo[buf].filetype = 'c' -- -u NONE: no filetype detection; languageId comes from this
  local uri = vim.uri_from_bufnr(buf)
  eq(uri, vim.uri_from_fname(file), 'buffer uri')

  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.textDocument.publishDiagnostics.codeDescriptionSupport = true
  local defaultPublish = vim.lsp.handlers['textDocument/publishDiagnostics']
  local clientId = vim.lsp.start_client({
    name = 'klp-lsp',
    -- exec keeps the server's exit status; its stderr goes to a file shown on failure.
    cmd = { 'sh', '-c', 'exec "$0" 2>"$1"', server, stderrFile },
    root_dir = tree,
    init_options = vim.empty_dict(),
    capabilities = capabilities,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        published[#published + 1] = {
          seq = #published,
          uri = result.uri,
          version = result.version,
          diagnostics = result.diagnostics,
        }
        return defaultPublish(err, result, ctx, config)
      end,
      ['window/logMessage'] = function(_, result)
        messages[#messages + 1] = result.message
      end,
      ['window/showMessage'] = function(_, result)
        messages[#messages + 1] = result.message
      end,
    },
    on_exit = function(code, signal)
      exitInfo = { code = code, signal = signal }
    end,
  })
  check(clientId, 'vim.lsp.start_client failed')
  local client = vim.lsp.get_client_by_id(clientId)
  vim.wait(WAIT_MS, function()
    return client.initialized or exitInfo ~= nil
  end, 50)
  check(client.initialized, 'the server did not finish initialize\n' .. context())
  local caps = client.server_capabilities
  local sync = type(caps.textDocumentSync) == 'table' and caps.textDocumentSync.change
    or caps.textDocumentSync
  eq(sync, vim.lsp.protocol.TextDocumentSyncKind.Incremental, 'textDocumentSync change kind')
  check(caps.codeActionProvider, 'server has no codeActionProvider')
  eq(client.offset_encoding, 'utf-16', 'offset encoding')

  -- didOpen with the text on disk: nothing differs from the baseline, nothing to report.
  check(vim.lsp.buf_attach_client(buf, clientId), 'buf_attach_client failed')
  vim.wait(QUIET_MS, function()
    return exitInfo ~= nil
  end, 50)
  check(not exitInfo, 'server exited after didOpen\n' .. context())
  for _, p in ipairs(published) do
    if p.uri == uri then
      eq(p.diagnostics, {}, 'diagnostics for the unchanged file')
    end
  end

  -- Add the member as the new last field (nvim sends the incremental didChange).
  local afterEdit = #published
  vim.api.nvim_buf_set_lines(buf, close, close, true, { FIELD })
  eq(vim.api.nvim_buf_get_lines(buf, close, close + 1, true)[1], FIELD, 'inserted line')
  local editVersion = vim.lsp.util.buf_versions[buf]
  local found = waitForDiagnostics(uri, 'struct-layout-change after adding "dropped"', afterEdit,
    function(p)
      return (p.version == nil or p.version >= editVersion) and #layoutDiagnostics(p) > 0
    end)
  local layout = layoutDiagnostics(found)
  eq(#layout, 1, 'number of struct-layout-change diagnostics in ' .. vim.inspect(layout))
  local diag = layout[1]
  local nameStart = FIELD:find('dropped', 1, true) - 1 -- only ASCII: bytes = UTF-16 units
  eq(nameStart, 16, 'column of "dropped"')
  eq(diag.source, 'klp-lsp', 'source')
  eq(diag.severity, vim.lsp.protocol.DiagnosticSeverity.Error, 'severity')
  eq(diag.range, {
    start = { line = close, character = nameStart },
    ['end'] = { line = close, character = nameStart + #'dropped' },
  }, 'range')
  local href = diag.codeDescription and diag.codeDescription.href or ''
  check(vim.endswith(href, 'docs/rules/struct-layout-change.md'),
    'codeDescription: ' .. vim.inspect(diag.codeDescription))
  check(type(diag.relatedInformation) == 'table' and #diag.relatedInformation > 0,
    'no relatedInformation (users of the struct)')
  for _, info in ipairs(diag.relatedInformation) do
    check(vim.startswith(info.location.uri, 'file://'), 'related ' .. vim.inspect(info))
    check(info.message and #info.message > 0, 'related information without a message')
  end
  -- ...and Neovim's own diagnostics show it where it belongs.
  local shown = vim.tbl_filter(function(d)
    return d.code == 'struct-layout-change'
  end, vim.diagnostic.get(buf))
  eq(#shown, 1, 'struct-layout-change in vim.diagnostic.get')
  eq({ shown[1].lnum, shown[1].col, shown[1].end_lnum, shown[1].end_col, shown[1].severity },
    { close, nameStart, close, nameStart + #'dropped', vim.diagnostic.severity.ERROR },
    'vim.diagnostic position and severity')

  -- The quick fix for exactly that diagnostic.
  local response, err = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = diag.range,
    context = { diagnostics = { diag } },
  }, WAIT_MS, buf)
  check(response, 'textDocument/codeAction: ' .. tostring(err) .. '\n' .. context())
  check(not response.err, 'textDocument/codeAction failed: ' .. vim.inspect(response.err))
  local actions = response.result or {}
  local fix
  local titles = {}
  for _, action in ipairs(actions) do
    titles[#titles + 1] = action.title
    if action.title == FIX_TITLE then
      fix = action
    end
  end
  check(fix, 'no action "' .. FIX_TITLE .. '" among ' .. vim.inspect(titles))
  eq(fix.kind, 'quickfix', 'kind of the fix')
  if not fix.edit then
    -- Neovim 0.7 announces codeAction/resolve for "edit"; a server may defer the edit to it.
    check(type(caps.codeActionProvider) == 'table' and caps.codeActionProvider.resolveProvider,
      'the quick fix has no edit and the server has no codeAction/resolve')
    response, err = client.request_sync('codeAction/resolve', fix, WAIT_MS, buf)
    check(response and not response.err, 'codeAction/resolve: ' .. vim.inspect(response or err))
    fix = response.result
    check(fix.edit, 'the resolved quick fix has no edit')
  end

  local afterFix = #published
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  local fixedLines = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
  local fixedOpen, fixedClose = structLines(fixedLines)
  eq(vim.list_slice(fixedLines, fixedOpen + 1, fixedClose + 1),
    vim.list_slice(diskLines, open + 1, close + 1), 'the struct after the fix')
  check(not vim.tbl_contains(vim.list_slice(fixedLines, fixedOpen + 1, fixedClose + 1), FIELD),
    'the "dropped" member is still in the struct')
  local fixedText = table.concat(fixedLines, '\n') .. '\n'
  check(fixedText:find('klp_shadow_get_or_alloc(', 1, true), 'no klp_shadow_get_or_alloc(')
  check(fixedText:find('klp_shadow_free(', 1, true), 'no klp_shadow_free(')
  local expected = vim.fn.readfile(EXPECTED_FIX)
  local region = vim.split(fixRegion(diskLines, fixedLines), '\n', { plain = true })
  table.remove(region) -- the empty string after the last newline
  for i = 1, math.max(#region, #expected) do
    eq(region[i], expected[i], EXPECTED_FIX .. ':' .. i .. ' (the fixed region)')
  end

  local fixVersion = vim.lsp.util.buf_versions[buf]
  local next = waitForDiagnostics(uri, 'diagnostics after the quick fix', afterFix, function(p)
    return p.version == nil or p.version >= fixVersion
  end)
  eq(layoutDiagnostics(next), {}, 'struct-layout-change after the quick fix')

  -- shutdown answers null (no error), exit ends the process with 0.
  response, err = client.request_sync('shutdown', nil, WAIT_MS, buf)
  check(response, 'shutdown: ' .. tostring(err) .. '\n' .. context())
  check(not response.err and response.result == nil, 'shutdown answered ' .. vim.inspect(response))
  client.notify('exit')
  vim.wait(WAIT_MS, function()
    return exitInfo ~= nil
  end, 50)
  eq(exitInfo, { code = 0, signal = 0 }, 'server exit')

  eq(vim.fn.getftime(file), mtimeBefore, 'mtime of kernel/acct.c (it must never be written)')
end

local ok, err = xpcall(main, function(e)
  return type(e) == 'table' and e.msg or debug.traceback(tostring(e), 2)
end)
vim.fn.delete(stderrFile)
if ok then
  io.stdout:write('nvim client: klp-lsp acct.c shadow-variable scenario passed\n')
  vim.cmd('qa!')
else
  io.stderr:write('nvim client: FAILED: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
