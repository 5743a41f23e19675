import { describe, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { sessionStoreConformance } from '../../src/testing/index.js';

sessionStoreConformance({ name: 'MemoryStore', describe, it, create: async () => new MemoryStore() });
