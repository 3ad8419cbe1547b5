/** One schema change. `id` is unique per database (the shared kits' own migrations use ids from 1000 up). */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}
