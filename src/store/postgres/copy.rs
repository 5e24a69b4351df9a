//! The rows of `store copy` (see `store/copy.rs`) in PostgreSQL's column types; text that
//! PostgreSQL refuses (U+0000) is stored as the other calls store it.

use chrono::{DateTime, Utc};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::columns::{millis, real_key, stored_key, text};
use super::{Pg, StoreError};
use crate::store::copy::{Kind, PAGE, Table, Value};

type Param = Box<dyn ToSql + Sync + Send>;

impl Pg {
    /// Whether `table` has a row.
    pub async fn has_rows(&self, table: &Table) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
        let row = client
            .query_one(&sql, &[])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(row.get(0))
    }

    /// Up to a page of `table`'s rows in key order, after the row whose key is `after`.
    pub async fn read_page(
        &self,
        table: &Table,
        after: Option<&[Value]>,
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let keys = table.key_list();
        let params: Vec<Param> = after
            .unwrap_or_default()
            .iter()
            .zip(table.columns)
            .map(|(value, (_, kind))| param(value, *kind))
            .collect();
        let filter = match after {
            Some(_) => format!("WHERE ({keys}) > ({})", placeholders(1, table.key)),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {} FROM {} {filter} ORDER BY {keys} LIMIT {PAGE}",
            table.column_list(),
            table.name
        );
        let client = self.client().await?;
        let rows = client
            .query(&sql, &borrowed(&params))
            .await
            .map_err(|error| self.store_error(error.into()))?;
        rows.iter()
            .map(|row| read_row(table, row))
            .collect::<Result<_, _>>()
            .map_err(|error| self.store_error(error.into()))
    }

    /// Inserts `rows` of `table` with one statement.
    pub async fn write_rows(&self, table: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let width = table.columns.len();
        let tuples: Vec<String> = (0..rows.len())
            .map(|index| format!("({})", placeholders(index * width + 1, width)))
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            table.name,
            table.column_list(),
            tuples.join(", ")
        );
        let params: Vec<Param> = rows
            .iter()
            .flat_map(|row| {
                row.iter()
                    .zip(table.columns)
                    .map(|(value, (_, kind))| param(value, *kind))
            })
            .collect();
        let client = self.client().await?;
        client
            .execute(&sql, &borrowed(&params))
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Deletes every row of `tables`, children first, in one transaction.
    pub async fn clear(&self, tables: &[Table]) -> Result<(), StoreError> {
        // Several statements in one simple query run as one implicit transaction.
        let sql: Vec<String> = tables
            .iter()
            .rev()
            .map(|table| format!("DELETE FROM {};", table.name))
            .collect();
        let client = self.client().await?;
        client
            .batch_execute(&sql.concat())
            .await
            .map_err(|error| self.store_error(error.into()))
    }

    /// Moves the delivery ids' sequence past the copied ids, so that new deliveries queue after
    /// them.
    pub async fn after_copy(&self) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .batch_execute(
                "SELECT setval(pg_get_serial_sequence('deliveries', 'id'), max(id))
                 FROM deliveries HAVING max(id) IS NOT NULL",
            )
            .await
            .map_err(|error| self.store_error(error.into()))
    }
}

/// `$first, $first+1, …` for `count` parameters.
fn placeholders(first: usize, count: usize) -> String {
    let numbered: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    numbered.join(", ")
}

fn borrowed(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|param| param.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// `value` in the column type of `kind`.
fn param(value: &Value, kind: Kind) -> Param {
    match (kind, value) {
        (Kind::Text, Value::Text(value)) => Box::new(text(value).into_owned()),
        (Kind::Key, Value::Text(value)) => Box::new(stored_key(value).into_owned()),
        (Kind::Int, Value::Int(value)) => Box::new(i32::try_from(*value).unwrap_or(i32::MAX)),
        (Kind::Id, Value::Int(value)) => Box::new(*value),
        (Kind::Time, Value::Time(at)) => Box::new(millis(*at)),
        (Kind::Bool, Value::Bool(flag)) => Box::new(*flag),
        (Kind::Text | Kind::Key, _) => Box::new(None::<String>),
        (Kind::Int, _) => Box::new(None::<i32>),
        (Kind::Id, _) => Box::new(None::<i64>),
        (Kind::Time, _) => Box::new(None::<DateTime<Utc>>),
        (Kind::Bool, _) => Box::new(None::<bool>),
    }
}

fn read_row(table: &Table, row: &Row) -> Result<Vec<Value>, tokio_postgres::Error> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(index, (_, kind))| read_value(row, index, *kind))
        .collect()
}

fn read_value(row: &Row, index: usize, kind: Kind) -> Result<Value, tokio_postgres::Error> {
    let value = match kind {
        Kind::Text => row.try_get::<_, Option<String>>(index)?.map(Value::Text),
        Kind::Key => row
            .try_get::<_, Option<String>>(index)?
            .map(|key| Value::Text(real_key(key))),
        Kind::Int => row
            .try_get::<_, Option<i32>>(index)?
            .map(|n| Value::Int(n.into())),
        Kind::Id => row.try_get::<_, Option<i64>>(index)?.map(Value::Int),
        Kind::Time => row
            .try_get::<_, Option<DateTime<Utc>>>(index)?
            .map(Value::Time),
        Kind::Bool => row.try_get::<_, Option<bool>>(index)?.map(Value::Bool),
    };
    Ok(value.unwrap_or(Value::Null))
}
