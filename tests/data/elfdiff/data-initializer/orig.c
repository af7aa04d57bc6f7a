int table[4] = {1, 2, 3, 4};
static int limits[2] = {10, 20};
int lookup(int i) { return table[i & 3] + limits[i & 1]; }
