//! The rows of `store copy` (see `store/copy.rs`) in SQLite's column types: times are unix
//! milliseconds, flags 0 or 1.

use rusqlite::types::{ToSqlOutput, Value as Sql};
use rusqlite::{Row, ToSql, params_from_iter};

use super::columns::Millis;
use super::{Db, StoreError};
use crate::store::copy::{Kind, PAGE, Table, Value};

impl Db {
    /// Whether `table` has a row.
    pub fn has_rows(&self, table: &Table) -> Result<bool, StoreError> {
        self.with_conn(|conn| {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name);
            Ok(conn.query_row(&sql, [], |row| row.get(0))?)
        })
    }

    /// Up to a page of `table`'s rows in key order, after the row whose key is `after`.
    pub fn read_page(
        &self,
        table: &Table,
        after: Option<&[Value]>,
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        self.with_conn(|conn| {
            let keys = table.key_list();
            let placeholders = vec!["?"; table.key].join(", ");
            let filter = match after {
                Some(_) => format!("WHERE ({keys}) > ({placeholders})"),
                None => String::new(),
            };
            let sql = format!(
                "SELECT {} FROM {} {filter} ORDER BY {keys} LIMIT {PAGE}",
                table.column_list(),
                table.name
            );
            let mut statement = conn.prepare(&sql)?;
            let params = params_from_iter(after.unwrap_or_default().iter().map(Column));
            let rows = statement.query_map(params, |row| read_row(table, row))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// Inserts `rows` of `table`, in one transaction.
    pub fn write_rows(&self, table: &Table, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            let placeholders = vec!["?"; table.columns.len()].join(", ");
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({placeholders})",
                table.name,
                table.column_list()
            );
            let tx = conn.transaction()?;
            {
                let mut statement = tx.prepare(&sql)?;
                for row in rows {
                    statement.execute(params_from_iter(row.iter().map(Column)))?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// Deletes every row of `tables`, children first, in one transaction.
    pub fn clear(&self, tables: &[Table]) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction()?;
            for table in tables.iter().rev() {
                tx.execute(&format!("DELETE FROM {}", table.name), [])?;
            }
            tx.commit()?;
            Ok(())
        })
    }
}

fn read_row(table: &Table, row: &Row<'_>) -> rusqlite::Result<Vec<Value>> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(index, (_, kind))| read_value(row, index, *kind))
        .collect()
}

fn read_value(row: &Row<'_>, index: usize, kind: Kind) -> rusqlite::Result<Value> {
    let value = match kind {
        Kind::Text | Kind::Key => row.get::<_, Option<String>>(index)?.map(Value::Text),
        Kind::Int | Kind::Id => row.get::<_, Option<i64>>(index)?.map(Value::Int),
        Kind::Time => row
            .get::<_, Option<Millis>>(index)?
            .map(|at| Value::Time(at.0)),
        Kind::Bool => row.get::<_, Option<bool>>(index)?.map(Value::Bool),
    };
    Ok(value.unwrap_or(Value::Null))
}

/// A [`Value`] as a parameter.
struct Column<'a>(&'a Value);

impl ToSql for Column<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Owned(Sql::Null),
            Value::Text(text) => ToSqlOutput::from(text.as_str()),
            Value::Int(number) => ToSqlOutput::from(*number),
            Value::Time(at) => ToSqlOutput::from(at.timestamp_millis()),
            Value::Bool(flag) => ToSqlOutput::from(i64::from(*flag)),
        })
    }
}
