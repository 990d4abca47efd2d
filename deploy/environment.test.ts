import { describe, expect, it } from 'vitest';
import { functionEnvironment, ssmParametersOf } from './environment.js';

const PROVIDER = {
  DATABASE_URL: 'ssm:/uat/prod/database-url',
  PERSIST_DATABASE_URL: 'ssm:/uat/prod/persist-database-url',
  RABBITMQ_URL: 'ssm:/uat/prod/rabbitmq-url',
  LOG_LEVEL: 'INFO',
};

describe("a function's environment", () => {
  it("gives persist's own database URL to persist alone, which may then read its parameter", () => {
    const persist = functionEnvironment('persist', PROVIDER);
    expect(persist).toEqual({
      DATABASE_URL: 'ssm:/uat/prod/database-url',
      PERSIST_DATABASE_URL: 'ssm:/uat/prod/persist-database-url',
      LOG_LEVEL: 'INFO',
    });
    expect(ssmParametersOf(persist).sort()).toEqual(['/uat/prod/database-url', '/uat/prod/persist-database-url']);
  });

  it.each(['track', 'createRegulation', 'eraseRegulated', 'health'])('leaves it out of %s', (name) => {
    const environment = functionEnvironment(name, PROVIDER);
    expect(environment).not.toHaveProperty('PERSIST_DATABASE_URL');
    expect(ssmParametersOf(environment)).not.toContain('/uat/prod/persist-database-url');
  });
});
