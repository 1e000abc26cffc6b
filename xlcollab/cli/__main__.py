from xlcollab.cli import main

main()
