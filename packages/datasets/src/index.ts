export const PACKAGE = '@logitlab/datasets';
