import { Component, onMounted, onPatched, onWillStart, onWillUnmount, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";
import { cookie } from "@web/core/browser/cookie";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Chart (Chart.js, bar / line / pie) and table of a Sysengage indicator, drawn from the JSON the
 * server computes with _read_group (field ``result_data``).
 */
export class SysengageIndicatorChart extends Component {
    static template = "sysengage_crm_light.IndicatorChart";
    static props = {
        ...standardFieldProps,
        showTable: { type: Boolean, optional: true },
        height: { type: Number, optional: true },
    };
    static defaultProps = { showTable: true, height: 280 };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        onMounted(() => this.renderChart());
        onPatched(() => this.renderChart());
        onWillUnmount(() => this.chart?.destroy());
    }

    get result() {
        return this.props.record.data[this.props.name] || {};
    }

    get hasData() {
        return Boolean(this.result.rows && this.result.rows.length);
    }

    get hasComparison() {
        return this.result.previous_total !== undefined && this.result.previous_total !== null;
    }

    get showColumns() {
        return (this.result.columns || []).length > 1;
    }

    format(value) {
        if (value === undefined || value === null) {
            return "";
        }
        return formatFloat(value, { digits: [false, this.result.is_rate ? 1 : 2] }) + (this.result.is_rate ? " %" : "");
    }

    formatPct(value) {
        if (value === undefined || value === null) {
            return "-";
        }
        return (value > 0 ? "+" : "") + formatFloat(value, { digits: [false, 1] }) + " %";
    }

    renderChart() {
        this.chart?.destroy();
        this.chart = null;
        const chart = this.result.chart;
        if (!this.canvasRef.el || !chart || !chart.labels || !chart.labels.length) {
            return;
        }
        const scheme = cookie.get("color_scheme");
        const isPie = chart.type === "pie";
        const datasets = chart.datasets.map((dataset, index) => {
            const color = getColor(index, scheme);
            return {
                ...dataset,
                backgroundColor: isPie ? chart.labels.map((_label, i) => getColor(i, scheme)) : color,
                borderColor: isPie ? "#fff" : color,
                fill: false,
                tension: 0.2,
            };
        });
        this.chart = new Chart(this.canvasRef.el, {
            type: chart.type,
            data: { labels: chart.labels, datasets },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { display: isPie || datasets.length > 1, position: "bottom" } },
                scales: isPie ? {} : { y: { beginAtZero: true } },
            },
        });
    }
}

export const sysengageIndicatorChart = {
    component: SysengageIndicatorChart,
    supportedTypes: ["json"],
    extractProps: ({ options }) => ({
        showTable: !options.no_table,
        height: options.height || 280,
    }),
};

registry.category("fields").add("sysengage_indicator_chart", sysengageIndicatorChart);
