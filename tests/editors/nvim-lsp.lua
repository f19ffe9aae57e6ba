-- Headless Neovim as policyc lsp's client: attach the server to the buffer
-- nvim was started on, wait for its diagnostics, ask for the document
-- symbols, and write both to $POLICYC_NVIM_OUT for tests/suite/editors.rs.
-- Written for Neovim 0.7 (Debian bookworm) and later: start_client and
-- buf_attach_client rather than vim.lsp.start (0.8+).
local bin = os.getenv("POLICYC_BIN")
local out = os.getenv("POLICYC_NVIM_OUT")
local buf = vim.api.nvim_get_current_buf()
local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":p:h")
local lines = {}

local function finish(code)
  vim.fn.writefile(lines, out)
  if code == 0 then vim.cmd("qall!") else vim.cmd("cquit!") end
end

local published = false
local client_id = vim.lsp.start_client({
  name = "policyc",
  cmd = { bin, "lsp" },
  root_dir = root,
  handlers = {
    ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      published = true
    end,
  },
})
if not client_id then
  table.insert(lines, "error: policyc lsp did not start")
  return finish(1)
end
vim.lsp.buf_attach_client(buf, client_id)

if not vim.wait(60000, function() return published end, 20) then
  table.insert(lines, "error: no diagnostics were published within 60 s")
  return finish(1)
end
table.insert(lines, "published")
-- Neovim turns the server's UTF-16 columns into byte columns of the line.
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  local message = d.message:gsub("\n.*", "")
  table.insert(lines, string.format("diagnostic %d:%d %s %s", d.lnum, d.col, code, message))
end

local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
local answers = vim.lsp.buf_request_sync(buf, "textDocument/documentSymbol", params, 60000)
local answer = answers and answers[client_id]
if not answer or answer.err or not answer.result then
  table.insert(lines, "error: no documentSymbol answer: " .. vim.inspect(answer))
  return finish(1)
end
local function walk(symbols, depth)
  for _, s in ipairs(symbols) do
    table.insert(lines, string.format("symbol %s%s @%d", string.rep("  ", depth), s.name, s.range.start.line))
    walk(s.children or {}, depth + 1)
  end
end
walk(answer.result, 0)
vim.lsp.stop_client(client_id)
finish(0)
