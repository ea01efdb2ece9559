export const PACKAGE = '@logitlab/train';
