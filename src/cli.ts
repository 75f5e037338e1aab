#!/usr/bin/env node
// The entry point: compiled code is read from the cache before the rest of the CLI (Arborist, pacote…) loads.
import { compileCacheDir, useCompileCache } from './compile-cache.js';

useCompileCache(compileCacheDir(process.env, process.cwd()));
await import('./main.js');
