/**
 * @packageDocumentation
 * Helpers for tests that need a real database: each test file creates its
 * own, migrates it and drops it afterwards.
 */
export { createTestDatabase, postgresAdminUrl, type TestDatabase } from "./test-database.js";
