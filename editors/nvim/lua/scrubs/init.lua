-- A small helper around the shipped config in lsp/scrubs.lua.
--
--   require('scrubs').setup({
--     cmd = { '/path/to/scrubs', 'lsp' },        -- or: bin = '/path/to/scrubs'
--     settings = { fix = { names = 'patient' } }, -- the `scrubs` settings section
--   })
--
-- setup() configures and enables the server and adds :ScrubsDeidentify.
local M = {}

--- The code action kind of "De-identify document".
M.fix_all_kind = 'source.fixAll.scrubs'

--- Apply "De-identify document" to the current buffer: every safe fix at once. Fixes that need
--- your judgement are left for you, one at a time, under the quick-fix menu.
function M.deidentify()
  local bufnr = vim.api.nvim_get_current_buf()
  if #vim.lsp.get_clients({ bufnr = bufnr, name = 'scrubs' }) == 0 then
    vim.notify(
      'scrubs is not running for this buffer, so there is nothing to de-identify. '
        .. 'It starts for Markdown and text files; :checkhealth vim.lsp shows why it did not start.',
      vim.log.levels.WARN
    )
    return
  end
  vim.lsp.buf.code_action({
    context = { only = { M.fix_all_kind }, diagnostics = {} },
    apply = true,
  })
end

---@class scrubs.Opts
---@field bin? string path to the scrubs program, ~ allowed (default: `scrubs` found on PATH)
---@field cmd? string[] the whole command line, instead of `bin`
---@field settings? table the `scrubs` settings section (rules, allow, fix, files, debounceMs)
---@field filetypes? string[] default { 'markdown', 'text' }

---@param opts? scrubs.Opts
function M.setup(opts)
  opts = opts or {}
  local config = {}
  if opts.cmd then
    config.cmd = opts.cmd
  elseif opts.bin then
    config.cmd = { vim.fn.expand(opts.bin), 'lsp' } -- expand() turns ~ into your home folder
  end
  if opts.settings then
    config.settings = { scrubs = opts.settings }
  end
  if opts.filetypes then
    config.filetypes = opts.filetypes
  end
  vim.lsp.config('scrubs', config)
  vim.lsp.enable('scrubs')
  vim.api.nvim_create_user_command('ScrubsDeidentify', M.deidentify, {
    desc = 'scrubs: De-identify document (apply every safe fix)',
  })
end

return M
