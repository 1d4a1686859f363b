import sys

print("this job fails on purpose")
sys.exit(3)
