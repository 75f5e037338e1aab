import { describe, expect, it } from 'vitest';
import { jsFileFacts } from '../../src/facts/js-facts.js';
import { codeFacts } from '../../src/facts/package-facts.js';
import { offeredTools } from '../../src/facts/reachability.js';
import { contentsOf } from '../helpers/package-builder.js';

const toolsOf = (code: string) =>
  jsFileFacts('index.js', code).tools.map(({ kind, name, description, via }) => ({
    kind,
    name,
    description,
    via,
  }));

describe('MCP tool declarations', () => {
  it('reads the TypeScript SDK forms: tool(), registerTool(), prompt(), registerPrompt(), resource()', () => {
    expect(
      toolsOf(`
        const DESC = 'Add ' + 'two numbers';
        server.tool('add', DESC, { a: z.number() }, async () => ({}));
        server.tool('ping', async () => ({}));
        server.registerTool('sub', { title: 'Subtract', description: \`Subtract b from a\`, inputSchema: {} }, handler);
        server.prompt('review', 'Review some code', { code: z.string() }, () => ({}));
        server.registerPrompt('explain', { description: 'Explain a topic' }, () => ({}));
        server.resource('config', 'config://app', { description: 'App config' }, async () => ({}));
      `),
    ).toEqual([
      { kind: 'tool', name: 'add', description: 'Add two numbers', via: 'tool' },
      { kind: 'tool', name: 'ping', description: '', via: 'tool' },
      { kind: 'tool', name: 'sub', description: 'Subtract b from a', via: 'registerTool' },
      { kind: 'prompt', name: 'review', description: 'Review some code', via: 'prompt' },
      { kind: 'prompt', name: 'explain', description: 'Explain a topic', via: 'registerPrompt' },
      { kind: 'resource', name: 'config', description: 'App config', via: 'resource' },
    ]);
  });

  it('reads literal tools/list answers and FastMCP-style addTool objects', () => {
    expect(
      toolsOf(`
        server.setRequestHandler(ListToolsRequestSchema, async () => ({
          tools: [{ name: 'search', description: 'Search the docs', inputSchema: { type: 'object' } }],
        }));
        mcp.addTool({ name: 'fetch_page', description: 'Fetch a page', parameters: z.object({}), execute: async () => '' });
      `),
    ).toEqual([
      { kind: 'tool', name: 'search', description: 'Search the docs', via: 'object literal' },
      { kind: 'tool', name: 'fetch_page', description: 'Fetch a page', via: 'object literal' },
    ]);
  });

  it('keeps tools whose description is computed at run time, marked as such', () => {
    const tools = jsFileFacts(
      'index.js',
      `import { DESCRIPTIONS } from './descriptions.js';
       server.tool('add', DESCRIPTIONS.add, {}, handler);
       server.registerTool('sub', { description: loadText('sub'), inputSchema: {} }, handler);
       const list = [{ name: 'mul', description: remote.mul, inputSchema: {} }];`,
    ).tools;
    expect(tools.map(({ name, description, dynamic }) => ({ name, description, dynamic }))).toEqual([
      { name: 'add', description: '', dynamic: true },
      { name: 'sub', description: '', dynamic: true },
      { name: 'mul', description: '', dynamic: true },
    ]);
  });

  it('does not mistake other libraries for MCP servers', () => {
    expect(
      toolsOf(`
        inquirer.prompt([{ name: 'x', message: 'Name?' }]);
        const pkg = { name: 'thing', description: 'A package', version: '1.0.0' };
        prompt('Continue?');
        rl.prompt();
      `),
    ).toEqual([]);
  });
});

describe('offeredTools', () => {
  it('leaves out tools declared in examples and tests that nothing loads, keeps the server own', () => {
    const code = codeFacts(
      contentsOf({
        'dist/server.js': "server.tool('read_file', 'Read a file', {}, h);",
        'dist/examples/weather.js': "server.tool('get_weather', 'Example weather tool', {}, h);",
        'test/fixture-server.js': "server.tool('fake', 'Fake tool', {}, h);",
      }),
    );
    expect(offeredTools(code).map((tool) => tool.name)).toEqual(['read_file']);
  });
});
