/** dues figures (being written). */
export {};
