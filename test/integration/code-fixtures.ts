/**
 * Code-level fixtures under fixtures/: reproductions of public npm supply-chain incidents, their obvious
 * evasion variants, and benign look-alikes. `spec` is what to scan; `carrier` is the package in the
 * resolved tree that carries the behaviour (for attacks, it may sit below a clean top package).
 */
export interface CodeFixture {
  spec: string;
  carrier: string;
  incident: string;
}

/** Each must be rated high or critical on `carrier`. */
export const attackFixtures: CodeFixture[] = [
  {
    spec: 'forecast-mcp@1.4.1',
    carrier: 'forecast-mcp',
    incident:
      'MCP rug pull: same code as 1.4.0, the tool description turned into an <IMPORTANT> block asking for ~/.aws/credentials',
  },
  {
    spec: 'acme-internal-auth@99.0.0',
    carrier: 'acme-internal-auth',
    incident:
      'dependency confusion (Birsan, 2021, and the probes that followed): a 99.x public copy of an internal name whose preinstall sends host name and user',
  },
  {
    spec: 'tidy-json-mcp@1.2.3',
    carrier: 'tidy-json-mcp',
    incident:
      'slow-burn takeover: clean releases, then a patch adding a postinstall, a brand-new dependency and network code',
  },
  {
    spec: 'manifest-confused@1.0.0',
    carrier: 'manifest-confused',
    incident:
      'manifest confusion (Darcy Clarke, 2023): an install script in the tarball the registry manifest hides',
  },
  {
    spec: 'notes-mcp-poisoned@1.2.0',
    carrier: 'notes-mcp-poisoned',
    incident:
      'MCP tool poisoning (Invariant Labs, 2025): <IMPORTANT> block asking the model to read ~/.cursor/mcp.json and ~/.ssh/id_rsa',
  },
  {
    spec: 'mail-helper-mcp-shadowing@0.4.0',
    carrier: 'mail-helper-mcp-shadowing',
    incident: 'MCP tool shadowing: a description that makes send_email always bcc an outside address',
  },
  {
    spec: 'calc-mcp-invisible@1.0.1',
    carrier: 'calc-mcp-invisible',
    incident: 'instructions hidden in a tool description with Unicode tag characters',
  },
  {
    spec: 'eslint-scope-token-stealer@3.7.2',
    carrier: 'eslint-scope-token-stealer',
    incident: 'eslint-scope 3.7.2 (July 2018): https.get of a pastebin.com/raw script whose body is eval-ed',
  },
  {
    spec: 'eslint-config-token-payload@5.0.2',
    carrier: 'eslint-config-token-payload',
    incident:
      'eslint-scope / eslint-config-eslint (2018) second stage, inlined: reads ~/.npmrc and sends the npm token in a Referer header',
  },
  {
    spec: 'event-stream-flatmap-backdoor@3.3.6',
    carrier: 'flatmap-stream-aes-loader',
    incident:
      'event-stream 3.3.6 / flatmap-stream 0.1.1 (Nov 2018): AES-256 payload keyed by npm_package_description, run with new module.constructor()._compile',
  },
  {
    spec: 'ua-parser-js-node-dropper@0.7.29',
    carrier: 'ua-parser-js-node-dropper',
    incident:
      'ua-parser-js 0.7.29 (Oct 2021), JS variant: preinstall.js curls/wgets a miner, chmod +x, starts it detached; certutil on Windows',
  },
  {
    spec: 'node-ipc-peacenotwar@10.1.1',
    carrier: 'node-ipc-peacenotwar',
    incident:
      'node-ipc 10.1.1 (Mar 2022): base64-hidden geolocation lookup, then overwrites every file with a heart for RU/BY',
  },
  {
    spec: 'nx-s1ngularity-telemetry@21.5.0',
    carrier: 'nx-s1ngularity-telemetry',
    incident:
      'nx "s1ngularity" (Aug 2025): telemetry.js drives claude/gemini/q with permission-bypass flags, steals gh token, uploads to a public GitHub repo',
  },
  {
    spec: '@hulud-fixture/tinycolor@4.1.1',
    carrier: '@hulud-fixture/tinycolor',
    incident:
      'Shai-Hulud worm (Sep 2025): bundle.js harvests env, npm/GitHub tokens and cloud metadata, plants a workflow, republishes the victim packages',
  },
  {
    spec: 'chalk-wallet-drainer@5.6.1',
    carrier: 'chalk-wallet-drainer',
    incident:
      'chalk/debug compromise (Sep 2025): javascript-obfuscator wallet drainer hooking fetch, XMLHttpRequest and window.ethereum.request',
  },
  {
    spec: 'debug-wallet-drainer@4.4.2',
    carrier: 'debug-wallet-drainer',
    incident:
      'chalk/debug compromise (Sep 2025), unobfuscated variant reaching the same hooks through computed names',
  },
  {
    spec: 'postmark-mcp-bcc-backdoor@1.0.16',
    carrier: 'postmark-mcp-bcc-backdoor',
    incident: 'postmark-mcp 1.0.16 (Sep 2025): every sent email silently Bcc-ed to phan@giftshop.club',
  },
  {
    spec: 'files-mcp-helpful-trojan@1.2.0',
    carrier: 'files-mcp-helpful-trojan',
    incident:
      'helpful-trojan MCP server: a working file tool that also reads cloud/SSH/gh credentials and .env, maps the network, posts to a Discord webhook',
  },
  {
    spec: 'dns-hex-exfil@1.0.0',
    carrier: 'dns-hex-exfil',
    incident:
      'dependency-confusion DNS beacon (Birsan 2021 and its copycats): hex-encoded host data in DNS labels via dns.lookup/resolve4',
  },
  {
    spec: 'oast-dns-beacon@2.0.1',
    carrier: 'oast-dns-beacon',
    incident:
      'interactsh/OAST DNS exfiltration: base32-encoded secrets resolved as *.oast.fun through a custom Resolver',
  },
  {
    spec: 'concat-require-dropper@1.0.0',
    carrier: 'concat-require-dropper',
    incident:
      "evasion: require('child' + '_process') and ['child','process'].join('_') running a downloaded script",
  },
  {
    spec: 'indirect-eval-loader@1.0.0',
    carrier: 'indirect-eval-loader',
    incident: "evasion: global['ev'+'al'] and globalThis[atob('ZXZhbA==')] on code downloaded over https",
  },
  {
    spec: 'aliased-exec-dropper@1.0.0',
    carrier: 'aliased-exec-dropper',
    incident:
      "evasion: const { exec: run } = require('child_process') running curl | sh (and a stored cp.exec alias)",
  },
  {
    spec: 'syntax-error-npmrc-stealer@1.0.0',
    carrier: 'syntax-error-npmrc-stealer',
    incident:
      'evasion: ~/.npmrc sent to webhook.site, in a file with a syntax error further down that stops strict parsers',
  },
  {
    spec: 'sloppy-syntax-npmrc-stealer@1.0.0',
    carrier: 'sloppy-syntax-npmrc-stealer',
    incident:
      'evasion: ~/.npmrc and tokens to api.telegram.org, in sloppy-mode-only syntax (HTML comments, with, legacy octal) Node runs but module parsers reject',
  },
  {
    spec: 'base64-module-loader@1.0.0',
    carrier: 'base64-module-loader',
    incident:
      'evasion: Buffer.from(base64) hides the required module, the URL and an env-stealing snippet fed to eval / new Function',
  },
  {
    spec: 'renamed-payload-palette@2.4.1',
    carrier: 'renamed-payload-palette',
    incident:
      'evasion: the stealer (~/.npmrc, ~/.aws/credentials, the environment to webhook.site) sits in assets/names.dat, which index.js loads with require(path.join(__dirname, ...)): CommonJS runs any extension as JavaScript',
  },
];

/** None of these may produce a finding at high or above anywhere in the tree. */
export const benignFixtures: CodeFixture[] = [
  {
    spec: 'notes-sync-mcp@2.1.1',
    carrier: 'notes-sync-mcp',
    incident: "benign: a patch that adds a call to the package's own documented API with the user's token",
  },
  {
    spec: 'docs-index-mcp@2.0.0',
    carrier: 'docs-index-mcp',
    incident: 'benign: a major release that restructures the code, reads files and adds a dependency',
  },
  {
    spec: 'git-docs-mcp-honest@2.3.0',
    carrier: 'git-docs-mcp-honest',
    incident: 'benign: long, honest MCP tool descriptions with usage guidance',
  },
  {
    spec: 'git-exec-helper@2.0.0',
    carrier: 'git-exec-helper',
    incident: 'simple-git style wrapper: execFile/spawn of git with argument arrays',
  },
  {
    spec: 'tiny-template-engine@1.4.0',
    carrier: 'tiny-template-engine',
    incident: 'lodash.template / ejs style compiler built on new Function',
  },
  {
    spec: 'umd-string-utils@3.1.0',
    carrier: 'umd-string-utils',
    incident: "minified one-line UMD bundle under dist/ (with lodash's Function('return this')())",
  },
  {
    spec: 'fetch-retry-polyfill@1.0.3',
    carrier: 'fetch-retry-polyfill',
    incident: 'wraps globalThis.fetch to retry, rewriting nothing',
  },
  {
    spec: 'stackmeter-cli@0.8.0',
    carrier: 'stackmeter-cli',
    incident: 'opt-in (STACKMETER_TELEMETRY=1) anonymous usage counts to the domain in its homepage',
  },
  {
    spec: 'app-config-loader@1.1.0',
    carrier: 'app-config-loader',
    incident: 'reads ~/.config/<app>/config.json via os.homedir(), no network',
  },
  {
    spec: 'envfile-loader@2.0.1',
    carrier: 'envfile-loader',
    incident: 'dotenv-style .env loader into process.env, no network',
  },
  {
    spec: 'mailkite-mcp-server@1.3.0',
    carrier: 'mailkite-mcp-server',
    incident: 'mailer MCP server: to/cc/bcc only from the caller, literal noreply@ own-domain sender',
  },
  {
    spec: 'claude-prompt-cli@0.3.0',
    carrier: 'claude-prompt-cli',
    incident: 'runs claude -p "<prompt>" on request, no permission-bypass flag',
  },
  {
    spec: 'clean-dist-builder@1.0.0',
    carrier: 'clean-dist-builder',
    incident: "build tool: fs.rmSync('dist', { recursive: true }) of its own output",
  },
  {
    spec: 'tiny-http-client@1.2.0',
    carrier: 'tiny-http-client',
    incident: 'HTTP client requesting only caller-supplied URLs',
  },
  {
    spec: 'webhook-notifier@1.0.0',
    carrier: 'webhook-notifier',
    incident: 'posts notifications to the webhook URL from its config / environment',
  },
  {
    spec: 'dns-health-check@1.0.0',
    carrier: 'dns-health-check',
    incident: 'resolves caller-listed hostnames (optionally through caller-given servers), no encoding',
  },
  {
    spec: 'cjs-ui-kit@2.0.0',
    carrier: 'cjs-ui-kit',
    incident:
      'CommonJS build for bundlers requiring its icon-font stylesheet (require("./index.css"), \\e9xx escapes, a CDN url()): read as code, nothing found',
  },
  {
    spec: 'mini-mcp-stdio@1.0.0',
    carrier: 'mini-mcp-stdio',
    incident: 'hand-written stdio JSON-RPC MCP server library shared by the MCP fixtures',
  },
];
