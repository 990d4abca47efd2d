// serverless-offline ships no types; the plugin describes the part of its Lambda runner it uses.
declare module 'serverless-offline/lambda';
