/* forced on every unit with -include */
