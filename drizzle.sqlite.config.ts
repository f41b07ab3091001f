import { defineConfig } from 'drizzle-kit';

// BOTCTL_MIGRATIONS_OUT lets scripts/check-migrations.mjs generate into a scratch copy.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/adapters/db/sqlite/schema.ts',
  out: process.env.BOTCTL_MIGRATIONS_OUT ?? './migrations/sqlite',
});
