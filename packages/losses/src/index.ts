export const PACKAGE = '@logitlab/losses';
