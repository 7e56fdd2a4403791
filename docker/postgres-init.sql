-- The warehouse lives in its own database next to Airflow's metadata.
CREATE DATABASE nyengget OWNER airflow;
