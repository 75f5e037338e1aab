import mcpServerData from '../data/mcp-servers.json' with { type: 'json' };
import popularData from '../data/popular-packages.json' with { type: 'json' };
import { buildNameIndex, type McpServerEntry, type NameIndex } from './matcher.js';

export type PopularPackages = ReadonlyArray<readonly [name: string, monthlyDownloads: number]>;

/** The top 10,000 npm names with monthly downloads (regenerate: npm run data:popular). */
export const POPULAR_PACKAGES = popularData.packages as unknown as PopularPackages;
/** Known MCP servers with their vendors (regenerate: npm run data:mcp-servers). */
export const MCP_SERVERS = mcpServerData.servers as unknown as readonly McpServerEntry[];

let bundledIndex: NameIndex | undefined;

/**
 * The index over the bundled lists, built on first use (about 100 ms) and shared after that: it never
 * changes during a run, so sharing it is the same as passing it around.
 */
export function bundledNameIndex(): NameIndex {
  bundledIndex ??= buildNameIndex(POPULAR_PACKAGES, MCP_SERVERS);
  return bundledIndex;
}
