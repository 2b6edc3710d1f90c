/** orgLife finding rules (being written). */
export {};
