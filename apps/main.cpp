// placeholder: the CLI is pending
int main() { return 0; }
