-- Driven by scripts/editor-check.sh: Neovim's built-in LSP client, headless, against
-- `whittle server`. Opens a Dockerfile, reads the diagnostics the server publishes, asks for
-- the code actions at a finding exactly as `vim.lsp.buf.code_action()` does for a user (the
-- choice made in place of the user), applies the quick fix, writes the file and checks it.
--
-- Environment: WHITTLE (the binary), CHECK_FILE (the Dockerfile), CHECK_EXPECTED (the file
-- with the expected text after the fix), CHECK_REPORT (where to write the log).

local whittle = assert(os.getenv('WHITTLE'), 'WHITTLE is not set')
local path = assert(os.getenv('CHECK_FILE'), 'CHECK_FILE is not set')
local expected_path = assert(os.getenv('CHECK_EXPECTED'), 'CHECK_EXPECTED is not set')
local report_path = assert(os.getenv('CHECK_REPORT'), 'CHECK_REPORT is not set')

local log = {}
local failures = 0
local function say(line) table.insert(log, line) end
local function check(ok, what)
  say((ok and 'ok: ' or 'FAILED: ') .. what)
  if not ok then failures = failures + 1 end
  return ok
end
local function read(p)
  local f = io.open(p, 'rb')
  if not f then return nil end
  local s = f:read('*a')
  f:close()
  return s
end
local function finish()
  local f = io.open(report_path, 'w')
  f:write(table.concat(log, '\n') .. '\n')
  f:close()
  if failures > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
end
local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(out, tostring(d.code)) end
  table.sort(out)
  return out
end
local function has_code(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then return d end
  end
  return nil
end

local ok, err = pcall(function()
  say('nvim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch))
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local root = vim.fn.fnamemodify(path, ':h')
  local client_id = vim.lsp.start_client({
    name = 'whittle',
    cmd = { whittle, 'server' },
    root_dir = root,
  })
  if not check(client_id ~= nil, 'the client started `whittle server`') then return end
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- 1. Diagnostics arrive after the document is opened.
  local got = vim.wait(20000, function() return has_code(bufnr, 'WH502') ~= nil end, 20)
  say('diagnostics: ' .. table.concat(codes(bufnr), ' '))
  if not check(got, 'WH502 (from-as-casing) was published for the Dockerfile') then return end
  local d = has_code(bufnr, 'WH502')
  check(d.lnum == 0 and d.col == 17 and d.end_col == 19,
    string.format('WH502 points at `as` (line %d, columns %d-%d)', d.lnum, d.col, d.end_col))
  check(d.source == 'whittle', 'the diagnostic names its source')

  -- 2. Hover on the finding shows the rule's page.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local params = vim.lsp.util.make_position_params()
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 10000)
  local page = hover and hover[client_id] and hover[client_id].result
    and hover[client_id].result.contents.value or ''
  check(page:find('# WH502: from-as-casing', 1, true) == 1, 'hover shows the rule page')

  -- 3. The quick fix, chosen from the code-action menu.
  local offered = {}
  local chosen = false
  vim.ui.select = function(items, _, on_choice)
    for _, item in ipairs(items) do table.insert(offered, item[2].title) end
    for _, item in ipairs(items) do
      if item[2].title == 'Write `AS`' then
        chosen = true
        return on_choice(item)
      end
    end
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  vim.wait(10000, function() return #offered > 0 end, 20)
  say('code actions: ' .. table.concat(offered, ' | '))
  if not check(chosen, 'the quick fix `Write `AS`` was offered') then return end

  -- 4. Write the file; the server re-lints the edited buffer; the file holds the fix.
  vim.cmd('write')
  local cleared = vim.wait(10000, function() return has_code(bufnr, 'WH502') == nil end, 20)
  say('diagnostics after the fix: ' .. table.concat(codes(bufnr), ' '))
  check(cleared, 'WH502 is gone after the fix')
  local expected = read(expected_path)
  local written = read(path)
  check(written == expected, 'the file on disk is what `whittle check --fix` writes')
  if written ~= expected then
    say('--- written\n' .. tostring(written) .. '--- expected\n' .. tostring(expected))
  end

  vim.lsp.stop_client(client_id)
  check(vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20),
    'the server shut down')
end)
if not ok then
  failures = failures + 1
  say('FAILED: ' .. tostring(err))
end
finish()
