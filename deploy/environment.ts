import { SSM_REFERENCE } from '../lib/config.js';
import { accessOf, SECRET_VARIABLES } from './function-access.js';

export type Environment = Record<string, string>;

/**
 * A function's environment: provider.environment without the secrets it does not use, so that it neither holds
 * them nor asks SSM for them (its role could not read them: deploy/roles.ts).
 */
export const functionEnvironment = (functionName: string, provider: Environment): Environment => {
  const access = accessOf(functionName);
  const environment = { ...provider };
  for (const [variable, needs] of Object.entries(SECRET_VARIABLES)) {
    if (!needs(access)) delete environment[variable];
  }
  return environment;
};

/** The SSM parameters an environment names (`ssm:/…`), which the function's role may read. */
export const ssmParametersOf = (environment: Environment): string[] =>
  Object.keys(SECRET_VARIABLES).flatMap((variable) => {
    const match = SSM_REFERENCE.exec(environment[variable] ?? '');
    return match?.[1] ? [match[1]] : [];
  });
