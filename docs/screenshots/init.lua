-- The Neovim set-up the screenshots are taken with (see make.sh): the shipped config in
-- editors/nvim plus a few display options. SCRUBS_BIN and SCRUBS_REPO come from make.sh.
local repo = assert(os.getenv('SCRUBS_REPO'), 'run make.sh, which sets SCRUBS_REPO')
vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
vim.lsp.config('scrubs', { cmd = { os.getenv('SCRUBS_BIN') or 'scrubs', 'lsp' } })
vim.lsp.enable('scrubs')

vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.showmode = false
vim.o.shortmess = vim.o.shortmess .. 'I'
vim.diagnostic.config({
  virtual_text = { spacing = 2, prefix = '●' },
  underline = true,
  severity_sort = true,
  float = { border = 'rounded', source = true },
})

-- make.sh waits for this file: it appears once the first diagnostics are shown.
local ready = os.getenv('SCRUBS_SHOT_READY')
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(args)
    if ready and #vim.diagnostic.get(args.buf) > 0 then
      vim.fn.writefile({ tostring(#vim.diagnostic.get(args.buf)) }, ready)
    end
  end,
})
