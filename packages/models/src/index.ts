export const PACKAGE = '@logitlab/models';
