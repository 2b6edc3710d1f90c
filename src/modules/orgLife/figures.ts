/** orgLife figures (being written). */
export {};
