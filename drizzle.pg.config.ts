import { defineConfig } from 'drizzle-kit';

// BOTCTL_MIGRATIONS_OUT lets scripts/check-migrations.mjs generate into a scratch copy.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/adapters/db/pg/schema.ts',
  out: process.env.BOTCTL_MIGRATIONS_OUT ?? './migrations/pg',
});
