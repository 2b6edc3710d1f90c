/** dues finding rules (being written). */
export {};
