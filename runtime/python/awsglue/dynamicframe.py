"""``DynamicFrame`` for ``--spark-executor local``: a thin wrapper over a Spark DataFrame.

Holds what simple scripts use: ``DynamicFrame.fromDF``, ``toDF``, ``count``, ``show``,
``printSchema``.  Glue's schema-less records, choice types and transforms are not emulated.
"""

from awsglue._spark import require_pyspark

require_pyspark(__name__)

__all__ = ["DynamicFrame"]


class DynamicFrame:
    def __init__(self, df, glue_ctx, name=""):
        self._df = df
        self.glue_ctx = glue_ctx
        self.name = name

    @staticmethod
    def fromDF(dataframe, glue_ctx, name):
        return DynamicFrame(dataframe, glue_ctx, name)

    def toDF(self):
        return self._df

    def count(self):
        return self._df.count()

    def show(self, num_rows=20):
        self._df.show(num_rows)

    def printSchema(self):
        self._df.printSchema()
