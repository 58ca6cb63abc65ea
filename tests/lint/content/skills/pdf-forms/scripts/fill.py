"""Fills a PDF form from a JSON file of field values (a fixture: does nothing)."""
import sys

if __name__ == "__main__":
    print("would fill", sys.argv[1:])
