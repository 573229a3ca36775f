// Filled by bench/geo: see bench/README.md.
print("civic-bench: see bench/geo/run.py")
