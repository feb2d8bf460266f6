/** The seeded stream tests and benchmarks share with the demo history (shared/seeded-random.ts). */
export { mulberry32 } from '../../shared/seeded-random';
