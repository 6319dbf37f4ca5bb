import { describeStorageContract } from './storage-contract.js';
import { InMemoryStorage } from '../../src/storage/index.js';

describeStorageContract('InMemoryStorage', () => new InMemoryStorage());
