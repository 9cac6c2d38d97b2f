#!/usr/bin/env python
from lotsenhaus.cli import main

if __name__ == "__main__":
    main()
