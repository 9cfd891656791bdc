-- Checks require('scrubs').setup() from editors/nvim/lua/scrubs in a real Neovim:
--
--   SCRUBS_BIN=target/debug/scrubs nvim --headless --clean -l tests/nvim/setup.lua
--
-- The server must start from the `bin` given to setup(), and the settings given to setup() must
-- be what Neovim answers when the server asks for the `scrubs` section (workspace/configuration).

local TIMEOUT_MS = 30000
local checks = 0

local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function check(cond, fmt, ...)
  if not cond then
    error({ failure = string.format(fmt, ...) }, 2)
  end
  checks = checks + 1
end

local function run()
  local bin = os.getenv('SCRUBS_BIN')
  check(bin ~= nil and vim.fn.executable(bin) == 1, 'SCRUBS_BIN must name the scrubs program, it is %s', tostring(bin))
  local repo = vim.fs.dirname(vim.fs.dirname(vim.fs.dirname(vim.uv.fs_realpath(_G.arg[0]))))
  vim.opt.runtimepath:prepend(repo .. '/editors/nvim')

  local settings = { fix = { names = 'patient' }, rules = { ['phi/url'] = 'warning' }, allow = { 'Mercy Clinic' } }
  require('scrubs').setup({ bin = bin, settings = settings })
  check(vim.fn.exists(':ScrubsDeidentify') == 2, 'setup() did not define :ScrubsDeidentify')

  local dir = vim.uv.fs_realpath(vim.fn.tempname()) or vim.fn.tempname()
  vim.fn.mkdir(dir, 'p')
  local path = dir .. '/note.txt'
  vim.fn.writefile({ 'Seen by Dr. Jane Doe on March 3, 2024.' }, path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.bo[bufnr].filetype == 'text', 'note.txt opened as %q, not text', vim.bo[bufnr].filetype)

  local client
  local started = vim.wait(TIMEOUT_MS, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'scrubs' })[1]
    return client ~= nil and client.initialized
  end, 20)
  check(started, 'the scrubs server did not start for a text file within %d s', TIMEOUT_MS / 1000)
  check(vim.deep_equal(client.config.cmd, { bin, 'lsp' }), 'the server was started as %s', vim.inspect(client.config.cmd))
  check(vim.deep_equal(client.config.filetypes, { 'markdown', 'text' }), 'filetypes are %s',
    vim.inspect(client.config.filetypes))
  say('ok   setup() started %s lsp for a text file', bin)

  -- What the server gets when it asks for its settings, through Neovim's own handler.
  local answer = vim.lsp.handlers['workspace/configuration'](
    nil,
    { items = { { section = 'scrubs', scopeUri = vim.uri_from_fname(path) }, { section = 'scrubs.fix' } } },
    { method = 'workspace/configuration', client_id = client.id, bufnr = bufnr }
  )
  check(vim.deep_equal(answer, { settings, settings.fix }),
    'for sections scrubs and scrubs.fix Neovim answers %s, expected %s', vim.inspect(answer),
    vim.inspect({ settings, settings.fix }))
  say('ok   workspace/configuration answers the settings given to setup()')

  local diagnosed = vim.wait(TIMEOUT_MS, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  check(diagnosed, 'no diagnostics for a note with a date in it')
  say('ok   the text file is checked (%d diagnostics)', #vim.diagnostic.get(bufnr))

  client:stop()
  vim.wait(TIMEOUT_MS, function()
    return client:is_stopped()
  end, 20)
  vim.fn.delete(dir, 'rf')
end

local ok, err = xpcall(run, function(e)
  if type(e) == 'table' and e.failure then
    return 'FAILED: ' .. e.failure
  end
  return 'FAILED with a Lua error: ' .. debug.traceback(tostring(e), 2)
end)
if not ok then
  io.stderr:write('scrubs Neovim setup(): ' .. err .. '\n')
  io.stderr:flush()
  os.exit(1)
end
say('scrubs Neovim setup(): all %d checks passed', checks)
os.exit(0)
