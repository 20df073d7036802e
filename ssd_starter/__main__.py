from ssd_starter.cli import main

raise SystemExit(main())
