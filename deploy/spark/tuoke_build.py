"""`spark-submit` entry for the build on a cluster (spark-submit runs .py files, not console scripts):

    spark-submit --master yarn --deploy-mode client ... deploy/spark/tuoke_build.py build --engine spark

The arguments are `tuoke`'s own; docs/scale-out.md ("The whole build on Spark") has the settings.
"""

from tuoke.cli import main

if __name__ == "__main__":
    main()
