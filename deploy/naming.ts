/** osls's logical ids (lib/plugins/aws/lib/naming.js), which the generated resources refer to. */
export const normalizedName = (functionName: string): string => {
  const name = functionName.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return name.charAt(0).toUpperCase() + name.slice(1);
};

export const functionLogicalId = (functionName: string) => `${normalizedName(functionName)}LambdaFunction`;
export const logGroupLogicalId = (functionName: string) => `${normalizedName(functionName)}LogGroup`;
/** The role of one function (deploy/roles.ts); serverless.yml names it as the function's `role`. */
export const roleLogicalId = (functionName: string) => `${normalizedName(functionName)}Role`;
