-- scrubs for Neovim 0.11 and newer, with the built-in LSP client.
--
-- Put this folder (editors/nvim) on the runtimepath and enable the server:
--
--   vim.opt.runtimepath:prepend('/path/to/scrubs/editors/nvim')
--   vim.lsp.enable('scrubs')
--
-- Change any field with vim.lsp.config('scrubs', { ... }); Neovim merges it with this file.
-- The server asks for the `scrubs` section of `settings` (workspace/configuration):
--   rules          rule code -> 'error' | 'warning' | 'info' | 'hint' | 'off'
--   allow          list of words never reported
--   fix.names      'placeholder' | 'patient' | 'initials' | 'pseudonym'
--   files.extensions  list of file extensions to check
--   debounceMs     milliseconds to wait after typing before checking
-- Settings in a scrubs.toml next to your files apply as well.

---@type vim.lsp.Config
return {
  cmd = { 'scrubs', 'lsp' },
  filetypes = { 'markdown', 'text' },
  root_markers = { 'scrubs.toml', '.git' },
  settings = { scrubs = {} },
  on_attach = function(_, bufnr)
    -- :ScrubsDeidentify in every buffer scrubs checks: apply all safe de-identifying fixes.
    vim.api.nvim_buf_create_user_command(bufnr, 'ScrubsDeidentify', function()
      require('scrubs').deidentify()
    end, { desc = 'scrubs: De-identify document (apply every safe fix)' })
  end,
}
