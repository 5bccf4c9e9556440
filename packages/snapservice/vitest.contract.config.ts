import { defineConfig } from 'vitest/config';
import { contractTestConfig } from '../../vitest.shared.js';

export default defineConfig(({ mode }) => contractTestConfig('snapservice', mode));
