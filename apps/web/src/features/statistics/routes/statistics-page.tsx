import type { CdrSortColumn, CdrWrapupCodeCount } from '@switchboard/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Card } from '../../../components/card';
import { PageHeader } from '../../../components/page-header';
import { Pagination } from '../../../components/pagination';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { browserTimeZone, formatDuration } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { cdrExportUrl, useCdrSearch } from '../api/search-cdr';
import { CdrFilters, type CdrFilterValues, emptyCdrFilters, toCdrParams } from '../components/cdr-filters';
import { CdrTable } from '../components/cdr-table';

const PAGE_SIZE = 25;

/** Statistics → CDR: search, totals, sortable and paged results, CSV export. */
export function StatisticsPage() {
  const { data: user } = useCurrentUser();
  const [filters, setFilters] = useState<CdrFilterValues>(emptyCdrFilters);
  const [sort, setSort] = useState<CdrSortColumn>('startedAt');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const params = {
    ...toCdrParams(filters, user?.timeZone ?? browserTimeZone()),
    sort,
    order,
    page,
    pageSize: PAGE_SIZE,
  };
  const search = useCdrSearch(params);
  const errors = fieldErrorsOf(search.error);
  const totals = search.data?.totals;

  const onSort = (column: CdrSortColumn) => {
    if (column === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column);
      setOrder('desc');
    }
    setPage(1);
  };

  return (
    <div>
      <PageHeader
        title="Statistics · CDR"
        description={
          user?.role === 'agent' ? 'Search your call logs.' : 'Search the call logs of every agent.'
        }
        actions={
          <>
            {user && user.role !== 'agent' ? (
              <Link
                to="/statistics/reports"
                className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
              >
                Reports
              </Link>
            ) : null}
            <a
              href={cdrExportUrl(params)}
              download
              className="inline-flex items-center rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Export CSV
            </a>
          </>
        }
      />
      <div className="space-y-5">
        <CdrFilters
          initial={filters}
          numbersMasked={search.data?.numbersMasked ?? false}
          errors={errors}
          onSearch={(v) => {
            setFilters(v);
            setPage(1);
          }}
        />
        {search.isError && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{errorMessage(search.error)}</Alert>
        ) : null}
        <div className="grid grid-cols-3 gap-4" data-testid="cdr-totals">
          <Card>
            <p className="text-xs font-medium text-slate-500 uppercase">Calls</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums">
              {totals ? totals.count.toLocaleString() : '—'}
            </p>
          </Card>
          <Card>
            <p className="text-xs font-medium text-slate-500 uppercase">Answered</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums">
              {totals ? totals.answered.toLocaleString() : '—'}
              {totals && totals.count > 0 ? (
                <span className="ml-2 text-sm font-normal text-slate-500">
                  {Math.round((totals.answered / totals.count) * 100)}%
                </span>
              ) : null}
            </p>
          </Card>
          <Card>
            <p className="text-xs font-medium text-slate-500 uppercase">Total duration</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums">
              {totals ? formatDuration(totals.totalDurationS) : '—'}
            </p>
          </Card>
        </div>
        <WrapUpCodeCounts codes={search.data?.wrapupCodes} />
        <div>
          <CdrTable
            records={search.data?.records ?? []}
            timeZone={user?.timeZone ?? browserTimeZone()}
            sort={sort}
            order={order}
            onSort={onSort}
            status={search.isPending ? 'pending' : search.isError ? 'error' : 'success'}
          />
          {totals ? (
            <Pagination page={page} limit={PAGE_SIZE} total={totals.count} onPage={setPage} noun="calls" />
          ) : null}
          <p className="mt-3 text-xs text-slate-500">
            For Manual Dialed calls that were unanswered or busy, the duration is the ringing time. Recordings
            are on the Recordings page.
          </p>
        </div>
      </div>
    </div>
  );
}

/** The filtered calls per disposition (wrap-up) code, as bars against the most used one. */
function WrapUpCodeCounts({ codes }: { codes: CdrWrapupCodeCount[] | undefined }) {
  if (!codes || codes.length === 0) return null;
  const most = codes[0]!.count;
  return (
    <Card title="Wrap-up codes">
      <ul className="space-y-1.5 text-sm" aria-label="Calls per wrap-up code">
        {codes.map((c) => (
          <li
            key={c.code}
            className="grid grid-cols-[12rem_1fr_4rem] items-center gap-3"
            data-testid="wrapup-code-count"
          >
            <span className="truncate">{c.code}</span>
            <span className="h-2 rounded bg-slate-100">
              <span
                className="block h-2 rounded bg-indigo-500"
                style={{ width: `${Math.max(2, Math.round((c.count / most) * 100))}%` }}
              />
            </span>
            <span className="text-right tabular-nums">{c.count.toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
