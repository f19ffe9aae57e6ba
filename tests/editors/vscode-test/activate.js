// The VS Code extension in ../vscode, run as VS Code runs it, short of VS
// Code itself (which npm does not carry): `activate` is called with stand-ins
// for the `vscode` API and for vscode-languageclient's LanguageClient. The
// stand-in client starts the server exactly as the extension configured it
// and speaks JSON-RPC to it, so what is checked is that the extension's own
// configuration starts a working `policyc lsp`, that its documents are the
// ones the server checks, and that "Renumber from here" reaches the server.
//
// Usage: node activate.js EXTENSION_DIR SOURCE_FILE (POLICYC_BIN names the
// binary). Prints one JSON object with what it saw; exits non-zero on any
// failed expectation.
"use strict";
const Module = require("module");
const path = require("path");
const fs = require("fs");
const { spawn } = require("child_process");

const [extensionDir, sourceFile] = process.argv.slice(2);
const binary = process.env.POLICYC_BIN;
if (!extensionDir || !sourceFile || !binary) {
  console.error("usage: POLICYC_BIN=… node activate.js EXTENSION_DIR SOURCE_FILE");
  process.exit(2);
}

function fail(message) {
  console.error("activate.js: " + message);
  process.exit(1);
}

// ------------------------------------------------------------ a JSON-RPC peer

function connect(command, args) {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const waiting = new Map();
  const notifications = [];
  const listeners = [];
  child.stdout.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, end).toString())[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.slice(end + 4, end + 4 + length).toString("utf8"));
      buffer = buffer.slice(end + 4 + length);
      if (message.id !== undefined && message.method === undefined) {
        const resolve = waiting.get(message.id);
        waiting.delete(message.id);
        if (resolve) resolve(message);
      } else {
        // A request from the server (workspace/applyEdit…) is answered as
        // a client that applies it would.
        if (message.id !== undefined) send({ jsonrpc: "2.0", id: message.id, result: { applied: true } });
        notifications.push(message);
        listeners.splice(0).forEach((l) => l());
      }
    }
  });
  function send(message) {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  }
  return {
    child,
    notifications,
    request(method, params) {
      const id = nextId++;
      send({ jsonrpc: "2.0", id, method, params });
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    notify(method, params) {
      send({ jsonrpc: "2.0", method, params });
    },
    // The first notification (or server request) `method` satisfying `test`.
    async next(method, test = () => true, seconds = 30) {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        const found = notifications.find((n) => n.method === method && test(n.params));
        if (found) return found;
        if (Date.now() > deadline) fail(`no ${method} within ${seconds} s`);
        await new Promise((resolve) => {
          listeners.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

// ------------------------------------------------------------ stand-ins

const seen = { commands: [], client: null };

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    seen.client = { id, name, serverOptions, clientOptions };
    seen.instance = this;
    this.serverOptions = serverOptions;
  }
  start() {
    const run = this.serverOptions.run;
    this.peer = connect(run.command, run.args || []);
    return Promise.resolve();
  }
  sendRequest(method, params) {
    return this.peer.request(method, params);
  }
  stop() {
    return this.peer.request("shutdown", null).then(() => this.peer.notify("exit", null));
  }
}

const vscodeStub = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === "policyc" && key === "path" ? binary : undefined) }),
  },
  window: { activeTextEditor: undefined },
  commands: {
    registerCommand(name, handler) {
      seen.commands.push(name);
      vscodeStub.commands.handlers[name] = handler;
      return { dispose() {} };
    },
    handlers: {},
  },
};
const clientStub = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === "vscode" || request === "vscode-languageclient/node") return request;
  return resolve.call(this, request, parent, ...rest);
};
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscodeStub };
require.cache["vscode-languageclient/node"] = {
  id: "vscode-languageclient/node",
  filename: "vscode-languageclient/node",
  loaded: true,
  exports: clientStub,
};

// ------------------------------------------------------------ the run

(async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, "package.json"), "utf8"));
  const extension = require(path.resolve(extensionDir, manifest.main));
  const context = { subscriptions: [] };
  await extension.activate(context);
  const client = seen.client;
  if (!client) fail("activate made no LanguageClient");
  const run = client.serverOptions.run;
  if (run.command !== binary) fail(`the server command is ${run.command}, not the policyc.path setting`);
  if (JSON.stringify(run.args) !== JSON.stringify(["lsp"])) fail(`the server's arguments are ${JSON.stringify(run.args)}`);
  const languages = client.clientOptions.documentSelector.map((s) => s.language);
  for (const language of ["plaintext", "markdown"]) {
    if (!languages.includes(language)) fail(`${language} documents are not sent to the server`);
  }
  // Every command the extension registers is one its manifest contributes.
  const contributed = manifest.contributes.commands.map((c) => c.command);
  for (const name of seen.commands) {
    if (!contributed.includes(name)) fail(`command ${name} is registered but not in package.json`);
  }
  const events = manifest.activationEvents;
  if (!events.includes("onLanguage:plaintext")) fail("the extension does not start on plain text");

  // What VS Code's client does next: initialize, open the document.
  const peer = extensionClient();
  const init = await peer.request("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
  if (!init.result || !init.result.capabilities) fail("initialize got no capabilities: " + JSON.stringify(init));
  peer.notify("initialized", {});
  const uri = "file://" + path.resolve(sourceFile);
  const text = fs.readFileSync(sourceFile, "utf8");
  peer.notify("textDocument/didOpen", { textDocument: { uri, languageId: "plaintext", version: 1, text } });
  const published = await peer.next("textDocument/publishDiagnostics", (p) => p.uri === uri);
  const symbols = await peer.request("textDocument/documentSymbol", { textDocument: { uri } });
  if (!Array.isArray(symbols.result) || symbols.result.length === 0) fail("no outline: " + JSON.stringify(symbols));

  // "Renumber from here" at the cursor, through the extension's command.
  vscodeStub.window.activeTextEditor = {
    document: { uri: { toString: () => uri } },
    selection: { active: { line: Number(process.env.POLICYC_RENUMBER_LINE || 0), character: 0 } },
  };
  const answer = await vscodeStub.commands.handlers["policyc.renumberAtCursor"]();
  if (answer.error) fail("the server refused Renumber from here: " + JSON.stringify(answer.error));
  const edit = process.env.POLICYC_RENUMBER_LINE ? await peer.next("workspace/applyEdit", () => true, 10) : null;

  await extension.deactivate();
  const code = await new Promise((resolve) => peer.child.on("exit", resolve));
  console.log(
    JSON.stringify({
      command: path.basename(run.command),
      args: run.args,
      languages,
      commands: seen.commands,
      diagnostics: published.params.diagnostics.map((d) => d.code),
      outline: symbols.result.map((s) => s.name),
      renumber_edit: edit ? Object.values(edit.params.edit.changes || {}).flat().length : 0,
      exit: code,
    }),
  );
})().catch((e) => fail(e.stack || String(e)));

// The client the extension made and started.
function extensionClient() {
  return seen.instance.peer;
}
