export const PACKAGE = '@logitlab/backends';
