#!/usr/bin/env node
// Regenerates src/data/mcp-servers.json: MCP server packages people install by name, with the vendor brand
// each one carries, for typosquat and brand-impersonation detection (src/typosquat/).
//
// Source: hand-curated, because no registry lists "official" MCP servers. Entries come from
//   - the reference servers published under @modelcontextprotocol on npm (github.com/modelcontextprotocol/servers
//     and its archived servers list), with the command name each one installs as an alias
//     (`mcp-server-filesystem`), since that is the name people type and copy into configs;
//   - vendor servers published by the vendor itself under its own npm scope or account, as linked from the
//     vendor's documentation (Postmark's is @activecampaign/postmark-mcp; the unscoped `postmark-mcp` was the
//     September 2025 BCC backdoor, not Postmark's).
// A server belongs here when it is widely installed and its publisher is the vendor it is named after.
// `brand` is the word an impersonator must use; `scopes` are the npm scopes (and unscoped names) the vendor
// publishes under, so the vendor's own packages are never reported as impersonating it.
// Monthly downloads come from src/data/popular-packages.json when the server is in the top 10,000.
// Usage: node scripts/build-mcp-servers.js
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const reference = [
  'filesystem',
  'memory',
  'everything',
  'sequential-thinking',
  'github',
  'gitlab',
  'google-maps',
  'slack',
  'brave-search',
  'puppeteer',
  'postgres',
  'redis',
  'gdrive',
  'everart',
  'aws-kb-retrieval',
].map((server) => ({
  name: `@modelcontextprotocol/server-${server}`,
  brand: null,
  vendor: 'Model Context Protocol',
  aliases: [`mcp-server-${server}`],
}));

const vendorServers = [
  { name: '@playwright/mcp', brand: 'playwright', vendor: 'Microsoft Playwright', scopes: ['@playwright'] },
  { name: '@upstash/context7-mcp', brand: 'context7', vendor: 'Upstash', scopes: ['@upstash'] },
  { name: 'firecrawl-mcp', brand: 'firecrawl', vendor: 'Firecrawl', scopes: ['@mendable', 'firecrawl-mcp'] },
  { name: '@notionhq/notion-mcp-server', brand: 'notion', vendor: 'Notion', scopes: ['@notionhq'] },
  { name: '@supabase/mcp-server-supabase', brand: 'supabase', vendor: 'Supabase', scopes: ['@supabase'] },
  { name: '@sentry/mcp-server', brand: 'sentry', vendor: 'Sentry', scopes: ['@sentry'] },
  { name: '@stripe/mcp', brand: 'stripe', vendor: 'Stripe', scopes: ['@stripe'] },
  {
    name: '@activecampaign/postmark-mcp',
    brand: 'postmark',
    vendor: 'Postmark (ActiveCampaign)',
    scopes: ['@activecampaign'],
  },
  {
    name: '@browserbasehq/mcp-server-browserbase',
    brand: 'browserbase',
    vendor: 'Browserbase',
    scopes: ['@browserbasehq'],
  },
  {
    name: '@cloudflare/mcp-server-cloudflare',
    brand: 'cloudflare',
    vendor: 'Cloudflare',
    scopes: ['@cloudflare'],
  },
  { name: '@heroku/mcp-server', brand: 'heroku', vendor: 'Heroku', scopes: ['@heroku'] },
  { name: '@netlify/mcp', brand: 'netlify', vendor: 'Netlify', scopes: ['@netlify'] },
  { name: '@hubspot/mcp-server', brand: 'hubspot', vendor: 'HubSpot', scopes: ['@hubspot'] },
  { name: '@paypal/mcp', brand: 'paypal', vendor: 'PayPal', scopes: ['@paypal'] },
  { name: '@shopify/dev-mcp', brand: 'shopify', vendor: 'Shopify', scopes: ['@shopify'] },
  {
    name: 'mongodb-mcp-server',
    brand: 'mongodb',
    vendor: 'MongoDB',
    scopes: ['@mongodb-js', 'mongodb-mcp-server'],
  },
  { name: '@twilio-alpha/mcp', brand: 'twilio', vendor: 'Twilio', scopes: ['@twilio-alpha', '@twilio'] },
  {
    name: '@elastic/mcp-server-elasticsearch',
    brand: 'elasticsearch',
    vendor: 'Elastic',
    scopes: ['@elastic'],
  },
  { name: '@neondatabase/mcp-server-neon', brand: 'neon', vendor: 'Neon', scopes: ['@neondatabase'] },
  { name: '@azure/mcp', brand: 'azure', vendor: 'Microsoft Azure', scopes: ['@azure'] },
  { name: '@apify/actors-mcp-server', brand: 'apify', vendor: 'Apify', scopes: ['@apify'] },
  { name: '@brightdata/mcp', brand: 'brightdata', vendor: 'Bright Data', scopes: ['@brightdata'] },
  { name: 'exa-mcp-server', brand: 'exa', vendor: 'Exa', scopes: ['exa-mcp-server', '@exa-labs'] },
  { name: 'tavily-mcp', brand: 'tavily', vendor: 'Tavily', scopes: ['tavily-mcp', '@tavily'] },
  {
    name: 'chrome-devtools-mcp',
    brand: 'chrome-devtools',
    vendor: 'Google Chrome',
    scopes: ['chrome-devtools-mcp'],
  },
  { name: '@modelcontextprotocol/sdk', brand: null, vendor: 'Model Context Protocol' },
  { name: '@modelcontextprotocol/inspector', brand: null, vendor: 'Model Context Protocol' },
  { name: 'mcp-remote', brand: null, vendor: 'mcp-remote (Cloudflare-backed community proxy)' },
];

const popular = new Map(
  JSON.parse(readFileSync(join(here, '..', 'src', 'data', 'popular-packages.json'), 'utf8')).packages,
);

const servers = [...reference, ...vendorServers].map((server) => ({
  name: server.name,
  brand: server.brand,
  vendor: server.vendor,
  aliases: server.aliases ?? [],
  scopes: server.scopes ?? [server.name.startsWith('@') ? server.name.split('/')[0] : server.name],
  monthlyDownloads: popular.get(server.name) ?? null,
}));

const output = {
  source:
    'hand-curated: @modelcontextprotocol reference servers (github.com/modelcontextprotocol/servers) and vendor-published MCP servers; see scripts/build-mcp-servers.js',
  servers,
};
writeFileSync(join(here, '..', 'src', 'data', 'mcp-servers.json'), `${JSON.stringify(output, null, 2)}\n`);
console.log(`wrote ${servers.length} MCP servers`);
