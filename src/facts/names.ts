/** Canonical names of the APIs the checks care about, and which of them are sources and sinks. */

const MODULE_ALIASES: Record<string, string> = {
  'fs/promises': 'fs',
  'graceful-fs': 'fs',
  'fs-extra': 'fs',
  'dns/promises': 'dns',
  'cross-spawn': 'child_process.spawn',
  execa: 'child_process.execFile',
  'node-fetch': 'fetch',
  'cross-fetch': 'fetch',
  'isomorphic-fetch': 'fetch',
};

/** `node:fs/promises` → `fs`; wrappers that are the same API take the builtin's name. */
export function normalizeModule(name: string): string {
  const bare = name.startsWith('node:') ? name.slice(5) : name;
  return MODULE_ALIASES[bare] ?? bare;
}

/** `fs.promises.readFile` → `fs.readFile`: promise and callback forms are the same capability. */
export function canonicalCallee(name: string): string {
  // Called for every reference of every file: most names cannot match, and two replaces cost more than a look.
  // The first letter comes first: it is read without flattening a long chain's concatenated name.
  const first = name[0];
  if (first !== 'f' && first !== 'd' && first !== 'c' && first !== 'o') return name;
  if (!name.includes('.promises.') && !name.includes('.default.')) return name;
  return name.replace(/^(fs|dns)\.promises\./, '$1.').replace(/^(fs|dns|child_process|os)\.default\./, '$1.');
}

export const GLOBAL_ROOTS = new Set(['global', 'globalThis', 'window', 'self']);

export const KNOWN_GLOBALS = new Set([
  'require',
  'module',
  'exports',
  'process',
  'Buffer',
  'eval',
  'Function',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'atob',
  'btoa',
  'setTimeout',
  'setInterval',
  'navigator',
  'document',
  'localStorage',
  'ethereum',
  'solana',
  'Intl',
  'Object',
  'JSON',
  'Reflect',
  'String',
  'Date',
  'crypto',
]);

const EXEC = /^child_process\.(?:exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)$|^shelljs\.exec$/;
const NETWORK =
  /^(?:(?:https?|http2)\.(?:request|get|connect)|(?:net|tls)\.(?:connect|createConnection|Socket\(\)\.connect)|dgram\.createSocket|fetch|undici\.(?:request|fetch|stream)|axios(?:\.(?:get|post|put|patch|request|create))?|got(?:\.(?:get|post|put|stream))?|needle(?:\.(?:get|post|request))?|superagent\.(?:get|post|put)|request(?:\.(?:get|post|put))?|navigator\.sendBeacon|XMLHttpRequest\(\)\.(?:open|send)|WebSocket|WebSocket\(\)\.send|ws|ws\(\)\.send)$|^(?:https?|http2|net|tls)\.(?:request|get|connect|createConnection)\(\)\.(?:write|end)$|^(?:net\.Socket\(\)\.(?:connect|write|end)|dgram\.createSocket\(\)\.send)$/;
const DNS = /^dns\.(?:lookup|resolve\w*|reverse)$|^dns\.Resolver\(\)\.resolve\w*$/;
const FILE_READ =
  /^fs\.(?:readFileSync|readFile|createReadStream|readdirSync|readdir|opendir|opendirSync|readJson|readJsonSync)$/;
const FILE_WRITE =
  /^fs\.(?:writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|copyFileSync|copyFile|renameSync|rename|rmSync|rm|rmdirSync|rmdir|unlinkSync|unlink|chmodSync|chmod|truncateSync|truncate|outputFile|outputFileSync|removeSync|remove|emptyDirSync|emptyDir)$/;
const DYNAMIC_CODE =
  /^(?:eval|Function|vm\.(?:runInThisContext|runInNewContext|runInContext|compileFunction|Script|SourceTextModule)|setTimeout|setInterval)$|\._compile$/;
// Who and where the machine is. Platform and architecture are not here: binary installers send them to pick a build.
const HOST_INFO = /^os\.(?:hostname|userInfo|networkInterfaces|homedir)$/;
const DECODERS =
  /^(?:atob|Buffer\.from|crypto\.(?:createDecipher|createDecipheriv|privateDecrypt)|zlib\.(?:inflateSync|gunzipSync|brotliDecompressSync|inflateRawSync|unzipSync))$/;

export const isExec = (callee: string) => EXEC.test(callee);
export const isNetwork = (callee: string) => NETWORK.test(callee);
export const isDns = (callee: string) => DNS.test(callee);
export const isFileRead = (callee: string) => FILE_READ.test(callee);
export const isFileWrite = (callee: string) => FILE_WRITE.test(callee);
export const isDynamicCode = (callee: string) => DYNAMIC_CODE.test(callee);
export const isHostInfo = (callee: string) => HOST_INFO.test(callee);
export const isDecoder = (callee: string) => DECODERS.test(callee);
