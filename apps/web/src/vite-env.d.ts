/// <reference types="vite/client" />

/**
 * The MNIST test digits the build shipped (scripts/mnist-subset.mjs defines it: the folder and IDX file
 * names), or null when the build machine had no MNIST; undeclared outside a Vite build (tests).
 */
declare const LOGITLAB_MNIST_SUBSET: { dir: string; images: string; labels: string } | null | undefined;
