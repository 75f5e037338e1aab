/**
 * Paths whose contents are credentials, wallets or browser secrets. Matched against string literals and
 * folded strings. Each pattern is a literal or a bounded character class: no backtracking on hostile text.
 */
export interface SensitivePath {
  id: string;
  /** What a user calls it: "SSH private keys". */
  label: string;
  pattern: RegExp;
}

export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  { id: 'ssh', label: 'SSH keys', pattern: /(?:^|[/\\~])\.ssh(?:[/\\]|$)|\bid_(?:rsa|ed25519|ecdsa|dsa)\b/i },
  {
    id: 'aws',
    label: 'AWS credentials',
    pattern: /\.aws[/\\](?:credentials|config)|(?:^|[/\\~])\.aws(?:[/\\]|$)/i,
  },
  { id: 'npmrc', label: 'npm tokens (.npmrc)', pattern: /(?:^|[/\\~])\.npmrc$|\.npmrc\b/i },
  { id: 'gh', label: 'GitHub CLI tokens', pattern: /\.config[/\\]gh(?:[/\\]|$)|\bhosts\.yml$/i },
  { id: 'git-credentials', label: 'git credentials', pattern: /\.git-credentials\b/i },
  { id: 'docker', label: 'Docker credentials', pattern: /\.docker[/\\]config\.json/i },
  { id: 'kube', label: 'Kubernetes credentials', pattern: /\.kube[/\\]config\b/i },
  {
    id: 'gcloud',
    label: 'Google Cloud credentials',
    pattern: /\.config[/\\]gcloud\b|application_default_credentials\.json/i,
  },
  { id: 'azure', label: 'Azure credentials', pattern: /(?:^|[/\\])\.azure[/\\]/i },
  { id: 'env-file', label: '.env secrets', pattern: /(?:^|[/\\])\.env(?:\.[a-z]{1,20})?$/i },
  {
    id: 'browser',
    label: 'browser passwords and cookies',
    pattern: /\bLogin Data\b|[/\\]Cookies$|\bWeb Data\b|\bkey4\.db\b|\blogins\.json\b/,
  },
  {
    id: 'discord',
    label: 'Discord tokens',
    pattern: /discord(?:canary|ptb)?[/\\]Local Storage[/\\]leveldb|[/\\]Local Storage[/\\]leveldb/i,
  },
  {
    id: 'wallet',
    label: 'crypto wallets',
    pattern:
      /\bExodus[/\\]exodus\.wallet|\bElectrum[/\\]wallets|\.ethereum[/\\]keystore|\bnkbihfbeogaeaoehlefnkodbefgpgknn\b|\bbfnaelmomeimhlpmgjnjophhpkkoljpa\b|\bwallet\.dat\b|\bAtomic[/\\]Local Storage|\bsolana[/\\]id\.json|\.config[/\\]solana\b/i,
  },
  {
    id: 'keychain',
    label: 'system keychains',
    pattern:
      /\blogin\.keychain(?:-db)?\b|\bsecurity\s+find-(?:generic|internet)-password\b|\bKeychains[/\\]/i,
  },
  {
    id: 'mcp-config',
    label: 'AI assistant and MCP client configuration',
    pattern:
      /\bclaude_desktop_config\.json\b|\.cursor[/\\]mcp\.json|(?:^|[/\\~])\.claude\.json\b|\.codeium[/\\]windsurf[/\\]mcp_config\.json|\.codex[/\\]config\.toml/i,
  },
  { id: 'shadow', label: 'system password files', pattern: /^\/etc\/(?:shadow|passwd|sudoers)$/ },
];

/** The sensitive locations a string names, if any. Strings over 4 KB are not paths. */
export function sensitivePathsIn(text: string): SensitivePath[] {
  if (text.length > 4096) return [];
  // Sentences ("the user's web data provider") are not paths: a path has separators or few words.
  if ((text.match(/ /g)?.length ?? 0) > 4 && !/[/\\]/.test(text)) return [];
  return SENSITIVE_PATHS.filter((entry) => entry.pattern.test(text));
}
